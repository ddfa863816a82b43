// Reads a view through pgJDBC and prints, per column, its java.sql.Types
// code and name (from DatabaseMetaData.getColumns and ResultSetMetaData),
// then the row count and the sum of the "orders" column.
// Usage: java -cp postgresql.jar JdbcColumns.java <jdbc-url> <view>
import java.sql.*;

public class JdbcColumns {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            String view = args[1];
            try (ResultSet cols = c.getMetaData().getColumns(null, null, view, null)) {
                while (cols.next()) {
                    System.out.println("meta\t" + cols.getString("COLUMN_NAME") + "\t"
                        + cols.getInt("DATA_TYPE") + "\t" + cols.getString("TYPE_NAME"));
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + view + " ORDER BY seller_id")) {
                ResultSetMetaData md = rs.getMetaData();
                int ordersCol = -1;
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    System.out.println("column\t" + md.getColumnName(i) + "\t" + md.getColumnType(i)
                        + "\t" + JDBCType.valueOf(md.getColumnType(i)).getName() + "\t" + md.getColumnTypeName(i));
                    if (md.getColumnName(i).equals("orders")) ordersCol = i;
                }
                long rows = 0, orders = 0;
                while (rs.next()) {
                    rows++;
                    for (int i = 1; i <= md.getColumnCount(); i++) rs.getObject(i);
                    if (ordersCol > 0) orders += rs.getLong(ordersCol);
                }
                System.out.println("rows\t" + rows);
                System.out.println("orders\t" + orders);
            }
        }
    }
}
