/*
 * Reads a view through unixODBC + psqlODBC the way a BI tool does: runs
 * SELECT * FROM <view> ORDER BY seller_id, prints each column's ODBC SQL
 * data type (SQLDescribeCol: code and name) and the server's type name
 * (SQLColAttribute SQL_DESC_TYPE_NAME), then fetches every cell of every
 * row as text and prints the row count, the sums of the "orders" and
 * "defective" columns and the number of NULL cells.
 *
 *   odbc_columns "<connection string>" [view]      (view: odr_scorecard)
 *
 * Output, tab-separated (test/bi/common.sh reads it):
 *   column <name> <code> <SQL_... name> <server type name>
 *   rows <n>
 *   orders <sum>
 *   defective <sum>
 *   nulls <n>
 * Exit status 1 on any ODBC error (the diagnostics go to stderr).
 */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 64

static void
diag(const char *what, SQLSMALLINT type, SQLHANDLE h)
{
	SQLCHAR		state[6],
				msg[1024];
	SQLINTEGER	native;
	SQLSMALLINT len;
	SQLSMALLINT i;

	fprintf(stderr, "odbc_columns: %s failed\n", what);
	for (i = 1; SQLGetDiagRec(type, h, i, state, &native, msg, sizeof(msg), &len) == SQL_SUCCESS; i++)
		fprintf(stderr, "  %s (%d): %s\n", (char *) state, (int) native, (char *) msg);
}

/* the name of an ODBC SQL data type code */
static const char *
sql_type_name(SQLSMALLINT t)
{
	switch (t)
	{
		case SQL_UNKNOWN_TYPE: return "SQL_UNKNOWN_TYPE";
		case SQL_CHAR: return "SQL_CHAR";
		case SQL_VARCHAR: return "SQL_VARCHAR";
		case SQL_LONGVARCHAR: return "SQL_LONGVARCHAR";
		case SQL_WCHAR: return "SQL_WCHAR";
		case SQL_WVARCHAR: return "SQL_WVARCHAR";
		case SQL_WLONGVARCHAR: return "SQL_WLONGVARCHAR";
		case SQL_DECIMAL: return "SQL_DECIMAL";
		case SQL_NUMERIC: return "SQL_NUMERIC";
		case SQL_SMALLINT: return "SQL_SMALLINT";
		case SQL_INTEGER: return "SQL_INTEGER";
		case SQL_BIGINT: return "SQL_BIGINT";
		case SQL_TINYINT: return "SQL_TINYINT";
		case SQL_REAL: return "SQL_REAL";
		case SQL_FLOAT: return "SQL_FLOAT";
		case SQL_DOUBLE: return "SQL_DOUBLE";
		case SQL_BIT: return "SQL_BIT";
		case SQL_BINARY: return "SQL_BINARY";
		case SQL_VARBINARY: return "SQL_VARBINARY";
		case SQL_LONGVARBINARY: return "SQL_LONGVARBINARY";
		case SQL_TYPE_DATE: return "SQL_TYPE_DATE";
		case SQL_TYPE_TIME: return "SQL_TYPE_TIME";
		case SQL_TYPE_TIMESTAMP: return "SQL_TYPE_TIMESTAMP";
		case SQL_DATETIME: return "SQL_DATETIME";
		case SQL_GUID: return "SQL_GUID";
		default: return "SQL_(other)";
	}
}

int
main(int argc, char **argv)
{
	SQLHENV		env = SQL_NULL_HENV;
	SQLHDBC		dbc = SQL_NULL_HDBC;
	SQLHSTMT	stmt = SQL_NULL_HSTMT;
	SQLSMALLINT ncols;
	SQLRETURN	rc;
	char		query[512];
	const char *view = argc > 2 ? argv[2] : "odr_scorecard";
	int			orders_col = 0,
				defective_col = 0;
	long long	rows = 0,
				orders = 0,
				defective = 0,
				nulls = 0;

	if (argc < 2 || argc > 3 || strlen(view) > 200)
	{
		fprintf(stderr, "usage: odbc_columns <connection string> [view]\n");
		return 2;
	}
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))
		|| !SQL_SUCCEEDED(SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER) SQL_OV_ODBC3, 0))
		|| !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc)))
	{
		fprintf(stderr, "odbc_columns: cannot allocate ODBC handles\n");
		return 1;
	}
	SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT, (SQLPOINTER) 10, 0);
	rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *) argv[1], SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
	if (!SQL_SUCCEEDED(rc))
	{
		diag("SQLDriverConnect", SQL_HANDLE_DBC, dbc);
		return 1;
	}
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt)))
	{
		diag("SQLAllocHandle(STMT)", SQL_HANDLE_DBC, dbc);
		return 1;
	}
	snprintf(query, sizeof(query), "SELECT * FROM %s ORDER BY seller_id", view);
	if (!SQL_SUCCEEDED(SQLExecDirect(stmt, (SQLCHAR *) query, SQL_NTS)))
	{
		diag(query, SQL_HANDLE_STMT, stmt);
		return 1;
	}
	if (!SQL_SUCCEEDED(SQLNumResultCols(stmt, &ncols)) || ncols < 1 || ncols > MAX_COLS)
	{
		diag("SQLNumResultCols", SQL_HANDLE_STMT, stmt);
		return 1;
	}

	for (SQLUSMALLINT i = 1; i <= (SQLUSMALLINT) ncols; i++)
	{
		SQLCHAR		name[256],
					tname[256];
		SQLSMALLINT namelen,
					type,
					digits,
					nullable,
					tnlen;
		SQLULEN		size;

		if (!SQL_SUCCEEDED(SQLDescribeCol(stmt, i, name, sizeof(name), &namelen, &type, &size,
										  &digits, &nullable)))
		{
			diag("SQLDescribeCol", SQL_HANDLE_STMT, stmt);
			return 1;
		}
		if (!SQL_SUCCEEDED(SQLColAttribute(stmt, i, SQL_DESC_TYPE_NAME, tname, sizeof(tname),
										   &tnlen, NULL)))
		{
			diag("SQLColAttribute(SQL_DESC_TYPE_NAME)", SQL_HANDLE_STMT, stmt);
			return 1;
		}
		printf("column\t%s\t%d\t%s\t%s\n", (char *) name, (int) type, sql_type_name(type),
			   (char *) tname);
		if (strcmp((char *) name, "orders") == 0)
			orders_col = i;
		if (strcmp((char *) name, "defective") == 0)
			defective_col = i;
	}

	while ((rc = SQLFetch(stmt)) != SQL_NO_DATA)
	{
		if (!SQL_SUCCEEDED(rc))
		{
			diag("SQLFetch", SQL_HANDLE_STMT, stmt);
			return 1;
		}
		rows++;
		/* every cell, as text (the way a report or an export reads it) */
		for (SQLUSMALLINT i = 1; i <= (SQLUSMALLINT) ncols; i++)
		{
			char		buf[128];
			SQLLEN		ind;
			int			first = 1;

			/* a long value comes in pieces: read until SQL_NO_DATA */
			for (;;)
			{
				rc = SQLGetData(stmt, i, SQL_C_CHAR, buf, sizeof(buf), &ind);
				if (rc == SQL_NO_DATA)
					break;
				if (!SQL_SUCCEEDED(rc))
				{
					diag("SQLGetData", SQL_HANDLE_STMT, stmt);
					return 1;
				}
				if (first && ind == SQL_NULL_DATA)
				{
					nulls++;
					break;
				}
				if (first && (i == orders_col || i == defective_col))
				{
					char	   *end;
					long long	v = strtoll(buf, &end, 10);

					if (*end != '\0' || end == buf)
					{
						fprintf(stderr, "odbc_columns: row %lld column %d: \"%s\" is not an integer\n",
								rows, (int) i, buf);
						return 1;
					}
					if (i == orders_col)
						orders += v;
					else
						defective += v;
				}
				first = 0;
				if (rc == SQL_SUCCESS)
					break;		/* the whole value was read */
			}
		}
	}
	printf("rows\t%lld\norders\t%lld\ndefective\t%lld\nnulls\t%lld\n", rows, orders, defective, nulls);
	SQLFreeHandle(SQL_HANDLE_STMT, stmt);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
