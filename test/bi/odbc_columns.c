/*
 * Reads a view through unixODBC + psqlODBC and prints, per column, its
 * ODBC SQL data type (SQLDescribeCol), then the row count and the sum of
 * the "orders" column.  Usage: odbc_columns "<connection string>" <view>
 */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <string.h>

static void
fail(const char *what, SQLSMALLINT type, SQLHANDLE h)
{
	SQLCHAR		state[6],
				msg[512];
	SQLINTEGER	native;
	SQLSMALLINT len;

	if (SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof(msg), &len) == SQL_SUCCESS)
		fprintf(stderr, "%s: %s %s\n", what, state, msg);
	else
		fprintf(stderr, "%s failed\n", what);
}

int
main(int argc, char **argv)
{
	SQLHENV		env;
	SQLHDBC		dbc;
	SQLHSTMT	stmt;
	SQLSMALLINT ncols;
	char		query[256];
	int			orders_col = 0;
	long long	rows = 0,
				orders = 0;

	if (argc != 3)
	{
		fprintf(stderr, "usage: odbc_columns <connection string> <view>\n");
		return 2;
	}
	SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER) SQL_OV_ODBC3, 0);
	SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
	if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *) argv[1], SQL_NTS, NULL, 0, NULL,
										SQL_DRIVER_NOPROMPT)))
	{
		fail("connect", SQL_HANDLE_DBC, dbc);
		return 1;
	}
	SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt);
	snprintf(query, sizeof(query), "SELECT * FROM %s ORDER BY seller_id", argv[2]);
	if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR *) query, SQL_NTS)))
	{
		fail("query", SQL_HANDLE_STMT, stmt);
		return 1;
	}
	SQLNumResultCols(stmt, &ncols);
	for (SQLSMALLINT i = 1; i <= ncols; i++)
	{
		SQLCHAR		name[128];
		SQLSMALLINT namelen,
					type,
					digits,
					nullable;
		SQLULEN		size;

		SQLCHAR		typename[128];
		SQLSMALLINT tnlen;

		SQLDescribeCol(stmt, i, name, sizeof(name), &namelen, &type, &size, &digits, &nullable);
		SQLColAttribute(stmt, i, SQL_DESC_TYPE_NAME, typename, sizeof(typename), &tnlen, NULL);
		printf("column\t%s\t%d\t%s\n", name, (int) type, typename);
		if (strcmp((char *) name, "orders") == 0)
			orders_col = i;
	}
	while (SQL_SUCCEEDED(SQLFetch(stmt)))
	{
		rows++;
		if (orders_col > 0)
		{
			SQLBIGINT	v = 0;
			SQLLEN		ind;

			SQLGetData(stmt, orders_col, SQL_C_SBIGINT, &v, 0, &ind);
			if (ind != SQL_NULL_DATA)
				orders += v;
		}
	}
	printf("rows\t%lld\norders\t%lld\n", rows, orders);
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
