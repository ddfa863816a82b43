// Reads a view through pgJDBC the way a BI tool does: its columns from
// DatabaseMetaData.getColumns (what a tool shows before running a query)
// and from the ResultSetMetaData of SELECT * FROM <view> ORDER BY seller_id,
// each with its java.sql.Types code and name and the server's type name;
// then fetches every cell of every row (getObject) and prints the row count,
// the sums of the "orders" and "defective" columns and the NULL cells.
//
//   java -cp /usr/share/java/postgresql.jar test/bi/JdbcColumns.java <jdbc-url> [view]
//
// Output, tab-separated (test/bi/common.sh reads it):
//   meta <name> <code> <JDBCType name> <server type name>     (DatabaseMetaData)
//   column <name> <code> <JDBCType name> <server type name>   (ResultSetMetaData)
//   rows <n> / orders <sum> / defective <sum> / nulls <n>
// Any SQLException ends the program with exit status 1.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

public class JdbcColumns {
    static String typeName(int code) {
        try {
            return JDBCType.valueOf(code).getName();
        } catch (IllegalArgumentException e) {
            return "UNKNOWN(" + code + ")";
        }
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: JdbcColumns <jdbc-url> [view]");
            System.exit(2);
        }
        String view = args.length > 1 ? args[1] : "odr_scorecard";
        try (Connection c = DriverManager.getConnection(args[0])) {
            int described = 0;
            try (ResultSet cols = c.getMetaData().getColumns(null, c.getSchema(), view, null)) {
                while (cols.next()) {
                    int code = cols.getInt("DATA_TYPE");
                    System.out.println("meta\t" + cols.getString("COLUMN_NAME") + "\t" + code + "\t"
                        + typeName(code) + "\t" + cols.getString("TYPE_NAME"));
                    described++;
                }
            }
            if (described == 0) {
                throw new SQLException("DatabaseMetaData.getColumns found no column of " + view
                    + " in schema " + c.getSchema());
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + view + " ORDER BY seller_id")) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                int ordersCol = -1, defectiveCol = -1;
                for (int i = 1; i <= n; i++) {
                    int code = md.getColumnType(i);
                    System.out.println("column\t" + md.getColumnName(i) + "\t" + code + "\t"
                        + typeName(code) + "\t" + md.getColumnTypeName(i));
                    if (md.getColumnName(i).equals("orders")) ordersCol = i;
                    if (md.getColumnName(i).equals("defective")) defectiveCol = i;
                }
                long rows = 0, orders = 0, defective = 0, nulls = 0;
                while (rs.next()) {
                    rows++;
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        if (v == null) {
                            nulls++;
                        } else if (i == ordersCol) {
                            orders += ((Number) v).longValue();
                        } else if (i == defectiveCol) {
                            defective += ((Number) v).longValue();
                        }
                    }
                }
                System.out.println("rows\t" + rows);
                System.out.println("orders\t" + orders);
                System.out.println("defective\t" + defective);
                System.out.println("nulls\t" + nulls);
            }
        }
    }
}
