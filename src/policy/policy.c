/*
 * policy.c — tiers under a policy (A4, A17) and the distance to the next
 * tier (A18).  Policies are rows of odr_policy / odr_policy_condition in the
 * extension's schema, read once per query through SPI and cached in the
 * function's fn_extra; the evaluation itself is odr_core.c.
 */
#include "odr.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

void		_PG_init(void);

static char *odr_default_policy = NULL;
static char *odr_default_star_policy = NULL;

static bool
check_default_policy(char **newval, void **extra, GucSource source)
{
	(void) extra;
	(void) source;
	if (*newval == NULL || (*newval)[0] == '\0')
	{
		GUC_check_errdetail("odr.default_policy must name a policy of odr_policy.");
		return false;
	}
	return true;
}

static bool
check_default_star_policy(char **newval, void **extra, GucSource source)
{
	(void) extra;
	(void) source;
	if (*newval == NULL || (*newval)[0] == '\0')
	{
		GUC_check_errdetail("odr.default_star_policy must name a policy of odr_star_policy.");
		return false;
	}
	return true;
}

void
_PG_init(void)
{
	DefineCustomStringVariable("odr.default_policy",
							   "Policy used by odr_tier(s) and the other functions called without a policy.",
							   "A name from the odr_policy table.",
							   &odr_default_policy,
							   "aliexpress",
							   PGC_USERSET,
							   0,
							   check_default_policy,
							   NULL,
							   NULL);
	DefineCustomStringVariable("odr.default_star_policy",
							   "Star policy (weights and star levels, S8) used by the 1688 star functions called without one.",
							   "A name from the odr_star_policy table.",
							   &odr_default_star_policy,
							   "1688",
							   PGC_USERSET,
							   0,
							   check_default_star_policy,
							   NULL,
							   NULL);
	odr_reserve_setting_prefix("odr");
}

/* What one call site keeps between calls of one query. */
typedef struct PolicyCache
{
	char	   *name;			/* policy loaded, in fn_mcxt */
	LocalTransactionId lxid;	/* ... in this transaction */
	CommandId	cid;			/* ... and this command of it */
	OdrPolicy	policy;
	Oid			tier_oid[ODR_NTIERS];	/* odr_tier enum labels */
	TupleDesc	tupdesc;		/* result row of odr_to_next_tier */
} PolicyCache;

static void
load_policy(Oid nsp, const char *name, OdrPolicy *p)
{
	const char *schema = quote_identifier(get_namespace_name(nsp));
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	int			rc;
	bool		isnull;
	OdrError	err;
	OdrStatus	st;

	args[0] = CStringGetTextDatum(name);
	memset(p, 0, sizeof(*p));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "odr: SPI_connect failed");
	/*
	 * Every name is qualified (the tables by the extension's schema, casts
	 * and operators by pg_catalog), so the caller's search_path cannot
	 * redirect the policy lookup to objects of its own.
	 */
	rc = SPI_execute_with_args(psprintf("SELECT min_orders::pg_catalog.int8, excellent_below::pg_catalog.float8, "
										"good_below::pg_catalog.float8, pass_below::pg_catalog.float8 "
										"FROM %s.odr_policy WHERE name OPERATOR(pg_catalog.=) $1",
										schema),
							   1, argtypes, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "odr: reading odr_policy failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown policy \"%s\"", name),
				 errhint("SELECT name FROM %s.odr_policy lists the policies.", schema)));
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		p->min_orders = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		p->below[ODR_TIER_EXCELLENT] = DatumGetFloat8(SPI_getbinval(tup, desc, 2, &isnull));
		p->below[ODR_TIER_GOOD] = DatumGetFloat8(SPI_getbinval(tup, desc, 3, &isnull));
		p->below[ODR_TIER_PASS] = DatumGetFloat8(SPI_getbinval(tup, desc, 4, &isnull));
	}

	rc = SPI_execute_with_args(psprintf("SELECT tier::pg_catalog.text, metric, bound, value::pg_catalog.float8 "
										"FROM %s.odr_policy_condition WHERE policy OPERATOR(pg_catalog.=) $1 "
										"ORDER BY tier, metric, bound",
										schema),
							   1, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "odr: reading odr_policy_condition failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed > ODR_MAX_CONDITIONS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("policy \"%s\" has %llu conditions, more than %d", name,
						(unsigned long long) SPI_processed, ODR_MAX_CONDITIONS)));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *tier = SPI_getvalue(tup, desc, 1);
		char	   *metric = SPI_getvalue(tup, desc, 2);
		char	   *bound = SPI_getvalue(tup, desc, 3);
		OdrCondition *c = &p->cond[p->ncond++];
		int			t = tier ? odr_tier_from_name(tier, strlen(tier)) : -1;
		int			m = metric ? odr_metric_from_name(metric, strlen(metric)) : -1;

		if (t < 0 || m < 0 || bound == NULL ||
			(strcmp(bound, "max") != 0 && strcmp(bound, "min") != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("policy \"%s\" has an invalid condition (%s, %s, %s)", name,
							tier ? tier : "NULL", metric ? metric : "NULL",
							bound ? bound : "NULL")));
		c->tier = (OdrTier) t;
		c->metric = (OdrMetric) m;
		c->bound = strcmp(bound, "max") == 0 ? ODR_BOUND_MAX : ODR_BOUND_MIN;
		c->value = DatumGetFloat8(SPI_getbinval(tup, desc, 4, &isnull));
	}
	SPI_finish();

	st = odr_policy_validate(p, &err);
	if (st != ODR_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("policy \"%s\" is invalid: %s", name, err.message),
				 err.detail[0] ? errdetail("%s", err.detail) : 0));
}

/*
 * The policy named by the call's second argument, or odr.default_policy
 * when there is none, from this call site's cache when it is there.
 */
static PolicyCache *
policy_for_call(FunctionCallInfo fcinfo)
{
	PolicyCache *cache = (PolicyCache *) fcinfo->flinfo->fn_extra;
	const char *name;
	Oid			nsp;

	LocalTransactionId lxid = ODR_MY_LXID;
	CommandId	cid = GetCurrentCommandId(false);

	/* the two-argument forms are STRICT: the policy is never NULL here */
	name = PG_NARGS() > 1 ? text_to_cstring(PG_GETARG_TEXT_PP(1)) : odr_default_policy;

	/*
	 * The policy read once serves the rest of the statement (STABLE). A
	 * caller that keeps this FmgrInfo longer (PL/pgSQL keeps it for the
	 * session) reads it again in a later command or transaction, so that a
	 * changed policy is seen.
	 */
	if (cache != NULL && cache->name != NULL && strcmp(cache->name, name) == 0 &&
		cache->lxid == lxid && cache->cid == cid)
		return cache;

	nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	if (cache == NULL)
	{
		Oid			tier_type;

		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PolicyCache));
		tier_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									CStringGetDatum("odr_tier"),
									ObjectIdGetDatum(nsp));
		if (!OidIsValid(tier_type))
			elog(ERROR, "odr: type odr_tier not found");
		for (int t = 0; t < ODR_NTIERS; t++)
		{
			cache->tier_oid[t] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
												 ObjectIdGetDatum(tier_type),
												 CStringGetDatum(odr_tier_names[t]));
			if (!OidIsValid(cache->tier_oid[t]))
				elog(ERROR, "odr: odr_tier has no label %s", odr_tier_names[t]);
		}
		fcinfo->flinfo->fn_extra = cache;
	}
	else if (cache->name != NULL)
	{
		pfree(cache->name);
		cache->name = NULL;
	}
	load_policy(nsp, name, &cache->policy);
	cache->name = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, name);
	cache->lxid = lxid;
	cache->cid = cid;
	return cache;
}

/* odr_tier(s [, policy]) -> odr_tier */
PG_FUNCTION_INFO_V1(odr_tier_fn);
Datum
odr_tier_fn(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	PolicyCache *cache = policy_for_call(fcinfo);

	PG_RETURN_OID(cache->tier_oid[odr_policy_tier(&cache->policy, s)]);
}

/*
 * odr_to_next_tier(s [, policy]) -> (next_tier, more_orders, fewer_defects),
 * NULL at the top tier; a distance is NULL when no such number lifts the
 * seller.
 */
PG_FUNCTION_INFO_V1(odr_to_next_tier_fn);
Datum
odr_to_next_tier_fn(PG_FUNCTION_ARGS)
{
	OdrSummary *s = PG_GETARG_ODR_SUMMARY_P(0);
	PolicyCache *cache = policy_for_call(fcinfo);
	OdrDistance dist;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (!odr_policy_to_next(&cache->policy, s, &dist))
		PG_RETURN_NULL();
	if (cache->tupdesc == NULL)
	{
		TupleDesc	desc;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "odr: odr_to_next_tier must return a row");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		cache->tupdesc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	values[0] = ObjectIdGetDatum(cache->tier_oid[dist.next]);
	values[1] = Int64GetDatum(dist.more_orders);
	nulls[1] = dist.more_orders < 0;
	values[2] = Int64GetDatum(dist.fewer_defects);
	nulls[2] = dist.fewer_defects < 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->tupdesc, values, nulls)));
}

/* odr_default_policy() -> text: the policy used when none is named */
PG_FUNCTION_INFO_V1(odr_default_policy_fn);
Datum
odr_default_policy_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(odr_default_policy));
}
