/*
 * response_core.c — the S4 3-minute response rate in plain C: the message
 * records of a group, buyer interning, merge, (de)serialisation, sorting, the
 * walk pairing each buyer message with its first human answer, and the rules
 * (S4; the M3.1 pairing is the walk itself).  See response_core.h.
 */
#include "response_core.h"
#include "odr_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const OdrRespRules odr_resp_default_rules = {
	ODR_RESP_OPEN_USEC, ODR_RESP_CLOSE_USEC, ODR_RESP_WITHIN_USEC
};

static OdrStatus
out_of_memory(OdrError *err, const char *what)
{
	return odr_fail(err, ODR_ERR_RANGE, "odr_response_rate state: no memory for more %s", what);
}

/*
 * Make room for at least need (>= 1) elements of size elem in p (capacity
 * *cap), doubling.  Returns the (possibly moved) array, or NULL when the size
 * overflows or the allocator fails (p is then unchanged).
 */
static void *
ensure(OdrResp *r, void *p, size_t *cap, size_t need, size_t elem, size_t min_cap)
{
	size_t		newcap;
	void	   *q;

	if (need <= *cap)
		return p;
	newcap = *cap < min_cap ? min_cap : *cap;
	while (newcap < need)
	{
		if (newcap > SIZE_MAX / 2)
			return NULL;
		newcap *= 2;
	}
	if (newcap > SIZE_MAX / elem)
		return NULL;
	q = r->alloc(r->alloc_arg, p, newcap * elem);
	if (q != NULL)
		*cap = newcap;
	return q;
}

void
odr_resp_init(OdrResp *r, OdrRespAllocFn alloc, void *alloc_arg)
{
	memset(r, 0, sizeof(*r));
	r->alloc = alloc;
	r->alloc_arg = alloc_arg;
	r->sorted = true;
}

OdrStatus
odr_resp_set_zone(OdrResp *r, const char *zone, size_t len, OdrError *err)
{
	if (len > ODR_RESP_ZONE_MAX)
		return odr_fail(err, ODR_ERR_RANGE, "zone name of %zu bytes is too long", len);
	memcpy(r->zone, zone, len);
	r->zone[len] = '\0';
	r->zone_len = (uint32_t) len;
	return ODR_OK;
}

bool
odr_resp_zone_is(const OdrResp *r, const char *zone, size_t len)
{
	return r->zone_len == len && memcmp(r->zone, zone, len) == 0;
}

static bool
ascii_ieq(const char *s, size_t len, const char *lower)
{
	size_t		n = strlen(lower);

	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != lower[i])
			return false;
	}
	return true;
}

int
odr_resp_sender_from_name(const char *name, size_t len)
{
	if (ascii_ieq(name, len, "buyer"))
		return ODR_RESP_BUYER;
	if (ascii_ieq(name, len, "seller"))
		return ODR_RESP_SELLER;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Buyer keys                                                           */
/* ------------------------------------------------------------------ */

/* FNV-1a; collisions only cost a key comparison. */
static uint32_t
key_hash(const char *key, size_t len)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < len; i++)
	{
		h ^= (unsigned char) key[i];
		h *= 16777619u;
	}
	return h;
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t
find_slot(const OdrResp *r, const char *key, size_t len, uint32_t h)
{
	uint32_t	mask = r->nslots - 1;
	uint32_t	i = h & mask;

	while (r->slots[i] != 0)
	{
		const OdrRespBuyer *b = &r->buyers[r->slots[i] - 1];

		/* (an empty key: no bytes to compare, and keys may still be NULL) */
		if (b->hash == h && b->len == len && (len == 0 || memcmp(r->keys + b->off, key, len) == 0))
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static bool
rehash(OdrResp *r, uint32_t nslots)
{
	uint32_t   *slots = r->alloc(r->alloc_arg, NULL, (size_t) nslots * sizeof(uint32_t));

	if (slots == NULL)
		return false;
	memset(slots, 0, (size_t) nslots * sizeof(uint32_t));
	if (r->slots != NULL)
		r->alloc(r->alloc_arg, r->slots, 0);
	r->slots = slots;
	r->nslots = nslots;
	for (uint32_t b = 0; b < r->nbuyers; b++)
	{
		uint32_t	i = r->buyers[b].hash & (nslots - 1);

		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = b + 1;
	}
	return true;
}

/* The index of a buyer key, interning it when new. */
static OdrStatus
intern(OdrResp *r, const char *key, size_t len, uint32_t *idx, OdrError *err)
{
	uint32_t	h = key_hash(key, len);
	uint32_t	slot;
	size_t		cap;
	OdrRespBuyer *buyers;

	if (r->nslots != 0)
	{
		slot = find_slot(r, key, len, h);
		if (r->slots[slot] != 0)
		{
			*idx = r->slots[slot] - 1;
			return ODR_OK;
		}
	}
	/* a new buyer: key offsets and counts are 32-bit */
	if (len > UINT32_MAX - r->keys_len || r->nbuyers >= UINT32_MAX / 4)
		return odr_fail(err, ODR_ERR_RANGE, "odr_response_rate state: too many buyers or buyer bytes in one group");
	if (len > 0)
	{
		char	   *keys = ensure(r, r->keys, &r->keys_cap, r->keys_len + len, 1, 64);

		if (keys == NULL)
			return out_of_memory(err, "buyer keys");
		r->keys = keys;
	}
	cap = r->buyers_cap;
	buyers = ensure(r, r->buyers, &cap, (size_t) r->nbuyers + 1, sizeof(OdrRespBuyer), 4);
	if (buyers == NULL)
		return out_of_memory(err, "buyers");
	r->buyers = buyers;
	r->buyers_cap = (uint32_t) (cap > UINT32_MAX ? UINT32_MAX : cap);
	if ((uint64_t) (r->nbuyers + 1) * 2 > r->nslots)
	{
		if (!rehash(r, r->nslots == 0 ? 8 : r->nslots * 2))
			return out_of_memory(err, "buyers");
	}
	slot = find_slot(r, key, len, h);
	if (len > 0)
		memcpy(r->keys + r->keys_len, key, len);
	r->buyers[r->nbuyers].off = (uint32_t) r->keys_len;
	r->buyers[r->nbuyers].len = (uint32_t) len;
	r->buyers[r->nbuyers].hash = h;
	r->keys_len += len;
	r->slots[slot] = ++r->nbuyers;
	*idx = r->nbuyers - 1;
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */
/* ------------------------------------------------------------------ */

static OdrStatus
append(OdrResp *r, uint32_t buyer, int64_t t, OdrRespKind kind, OdrError *err)
{
	OdrRespMsg *m = ensure(r, r->msgs, &r->msgs_cap, r->nmsgs + 1, sizeof(OdrRespMsg), 8);

	if (m == NULL)
		return out_of_memory(err, "messages");
	r->msgs = m;
	m = &r->msgs[r->nmsgs++];
	m->t = t;
	m->buyer = buyer;
	m->kind = (uint32_t) kind;
	r->sorted = false;
	return ODR_OK;
}

OdrStatus
odr_resp_add(OdrResp *r, const char *buyer, size_t len, int64_t t,
			 OdrRespKind kind, OdrError *err)
{
	uint32_t	idx;
	OdrStatus	st = intern(r, buyer, len, &idx, err);

	if (st != ODR_OK)
		return st;
	return append(r, idx, t, kind, err);
}

OdrStatus
odr_resp_merge(OdrResp *dst, const OdrResp *src, OdrError *err)
{
	uint32_t   *map = NULL;
	OdrStatus	st = ODR_OK;

	if (dst->zone_len == 0)
		odr_resp_set_zone(dst, src->zone, src->zone_len, NULL);
	else if (src->zone_len != 0 && !odr_resp_zone_is(dst, src->zone, src->zone_len))
	{
		odr_fail(err, ODR_ERR_INVALID, "zone must be the same for every row of a group");
		if (err != NULL)
			snprintf(err->detail, sizeof(err->detail),
					 "Part of the group has zone \"%.100s\", another part \"%.100s\".",
					 dst->zone, src->zone);
		return ODR_ERR_INVALID;
	}
	if (src->nmsgs == 0)
		return ODR_OK;
	map = dst->alloc(dst->alloc_arg, NULL, (size_t) src->nbuyers * sizeof(uint32_t));
	if (map == NULL)
		return out_of_memory(err, "buyers");
	for (uint32_t b = 0; b < src->nbuyers && st == ODR_OK; b++)
		st = intern(dst, src->keys + src->buyers[b].off, src->buyers[b].len, &map[b], err);
	if (st == ODR_OK)
	{
		OdrRespMsg *msgs = ensure(dst, dst->msgs, &dst->msgs_cap, dst->nmsgs + src->nmsgs,
								  sizeof(OdrRespMsg), 8);

		if (msgs == NULL)
			st = out_of_memory(err, "messages");
		else
			dst->msgs = msgs;
	}
	if (st == ODR_OK)
	{
		for (size_t i = 0; i < src->nmsgs; i++)
		{
			OdrRespMsg *m = &dst->msgs[dst->nmsgs + i];

			*m = src->msgs[i];
			m->buyer = map[m->buyer];
		}
		dst->nmsgs += src->nmsgs;
		dst->sorted = false;
	}
	dst->alloc(dst->alloc_arg, map, 0);
	return st;
}

static int
msg_cmp(const void *a, const void *b)
{
	const OdrRespMsg *x = a;
	const OdrRespMsg *y = b;

	if (x->buyer != y->buyer)
		return x->buyer < y->buyer ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return 0;
}

void
odr_resp_sort(OdrResp *r)
{
	if (!r->sorted)
	{
		if (r->nmsgs > 1)
			qsort(r->msgs, r->nmsgs, sizeof(OdrRespMsg), msg_cmp);
		r->sorted = true;
	}
}

/* ------------------------------------------------------------------ */
/* The shared walk: each buyer message and its first human answer       */
/* ------------------------------------------------------------------ */

void
odr_resp_walk(OdrResp *r, OdrRespPairFn fn, void *arg)
{
	size_t		i = 0;

	odr_resp_sort(r);
	while (i < r->nmsgs)
	{
		uint32_t	buyer = r->msgs[i].buyer;
		size_t		end = i;
		size_t		j = i;		/* the next seller message after i, or end */

		while (end < r->nmsgs && r->msgs[end].buyer == buyer)
			end++;
		/*
		 * One conversation, sorted by (t, kind): a seller message at the
		 * instant of a buyer message sorts after it, so the first seller
		 * message after position i is the first at the same instant or later.
		 * j only moves forward: the conversation is walked once.
		 */
		for (; i < end; i++)
		{
			if (r->msgs[i].kind != ODR_RESP_BUYER)
				continue;
			if (j <= i)
				j = i + 1;
			while (j < end && r->msgs[j].kind != ODR_RESP_SELLER)
				j++;
			if (j < end)
				fn(arg, buyer, r->msgs[i].t, true, r->msgs[j].t);
			else
				fn(arg, buyer, r->msgs[i].t, false, 0);
		}
	}
}

/* A buyer key and its index before renumbering. */
typedef struct KeyRef
{
	const char *key;
	uint32_t	len;
	uint32_t	idx;
} KeyRef;

static int
key_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	uint32_t	n = alen < blen ? alen : blen;
	int			c = n > 0 ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c;
	return (alen > blen) - (alen < blen);
}

static int
keyref_cmp(const void *a, const void *b)
{
	const KeyRef *x = a;
	const KeyRef *y = b;

	return key_cmp(x->key, x->len, y->key, y->len);
}

OdrStatus
odr_resp_order_buyers(OdrResp *r, OdrError *err)
{
	uint32_t	nb = r->nbuyers;
	uint32_t	b;
	KeyRef	   *refs;
	uint32_t   *map;
	OdrRespBuyer *nbuf;

	/* already in key order (always so after a first call): nothing to do */
	for (b = 1; b < nb; b++)
	{
		size_t		alen,
					blen;
		const char *ka = odr_resp_buyer_key(r, b - 1, &alen);
		const char *kb = odr_resp_buyer_key(r, b, &blen);

		if (key_cmp(ka, (uint32_t) alen, kb, (uint32_t) blen) >= 0)
			break;
	}
	if (nb < 2 || b == nb)
		return ODR_OK;

	refs = r->alloc(r->alloc_arg, NULL, (size_t) nb * sizeof(KeyRef));
	map = refs == NULL ? NULL : r->alloc(r->alloc_arg, NULL, (size_t) nb * sizeof(uint32_t));
	nbuf = map == NULL ? NULL : r->alloc(r->alloc_arg, NULL, (size_t) nb * sizeof(OdrRespBuyer));
	if (nbuf == NULL)
	{
		if (map != NULL)
			r->alloc(r->alloc_arg, map, 0);
		if (refs != NULL)
			r->alloc(r->alloc_arg, refs, 0);
		return out_of_memory(err, "buyers");
	}
	for (b = 0; b < nb; b++)
	{
		size_t		len;

		refs[b].key = odr_resp_buyer_key(r, b, &len);
		refs[b].len = (uint32_t) len;
		refs[b].idx = b;
	}
	qsort(refs, nb, sizeof(KeyRef), keyref_cmp);
	for (b = 0; b < nb; b++)
	{
		map[refs[b].idx] = b;
		nbuf[b] = r->buyers[refs[b].idx];
	}
	memcpy(r->buyers, nbuf, (size_t) nb * sizeof(OdrRespBuyer));
	for (size_t i = 0; i < r->nmsgs; i++)
		r->msgs[i].buyer = map[r->msgs[i].buyer];
	/* the hash slots hold indexes: refill them */
	memset(r->slots, 0, (size_t) r->nslots * sizeof(uint32_t));
	for (b = 0; b < nb; b++)
	{
		uint32_t	i = r->buyers[b].hash & (r->nslots - 1);

		while (r->slots[i] != 0)
			i = (i + 1) & (r->nslots - 1);
		r->slots[i] = b + 1;
	}
	r->sorted = false;
	r->alloc(r->alloc_arg, nbuf, 0);
	r->alloc(r->alloc_arg, map, 0);
	r->alloc(r->alloc_arg, refs, 0);
	return ODR_OK;
}

OdrStatus
odr_resp_pair(OdrResp *r, OdrRespPairFn fn, void *arg, OdrError *err)
{
	OdrStatus	st = odr_resp_order_buyers(r, err);

	if (st != ODR_OK)
		return st;
	odr_resp_walk(r, fn, arg);
	return ODR_OK;
}

/* ------------------------------------------------------------------ */
/* The rule (S4)                                                        */
/* ------------------------------------------------------------------ */

/* S4 over the walk: the state of the conversation being walked. */
typedef struct S4Walk
{
	const OdrRespRules *rules;
	OdrRespLocalFn local;
	void	   *local_arg;
	OdrRespCounts *out;
	bool		have_buyer;
	uint32_t	buyer;			/* the conversation of cur_day */
	bool		have_day;
	int32_t		cur_day;		/* the local day of its last first message */
} S4Walk;

static void
s4_message(void *arg, uint32_t buyer, int64_t t, bool answered, int64_t answered_t)
{
	S4Walk	   *w = arg;
	int32_t		day;
	int64_t		usec;

	if (!w->have_buyer || buyer != w->buyer)
	{
		w->have_buyer = true;
		w->buyer = buyer;
		w->have_day = false;
	}
	w->local(w->local_arg, t, &day, &usec);
	if (w->have_day && day == w->cur_day)
		return;					/* not the first message of its day */
	w->have_day = true;
	w->cur_day = day;
	if (!odr_resp_in_hours(w->rules, usec))
		return;					/* the day's first message is outside the hours:
								 * nothing of this day counts */
	w->out->counted++;
	/* the first human reply at the same instant or later, within within_usec */
	if (answered && answered_t - t <= w->rules->within_usec)
		w->out->answered++;
}

void
odr_resp_evaluate(OdrResp *r, const OdrRespRules *rules,
				  OdrRespLocalFn local, void *local_arg, OdrRespCounts *out)
{
	S4Walk		w;

	out->counted = 0;
	out->answered = 0;
	memset(&w, 0, sizeof(w));
	w.rules = rules;
	w.local = local;
	w.local_arg = local_arg;
	w.out = out;
	odr_resp_walk(r, s4_message, &w);
}

/* ------------------------------------------------------------------ */
/* Serialisation                                                        */
/* ------------------------------------------------------------------ */

static const unsigned char resp_magic[4] = {'O', 'R', 'S', '1'};

size_t
odr_resp_serial_size(const OdrResp *r)
{
	return sizeof(resp_magic) + sizeof(uint32_t) + r->zone_len +
		sizeof(uint32_t) + (size_t) r->nbuyers * sizeof(uint32_t) + r->keys_len +
		sizeof(uint64_t) + r->nmsgs * sizeof(OdrRespMsg);
}

void
odr_resp_serialize(const OdrResp *r, unsigned char *p)
{
	uint64_t	n = r->nmsgs;

	memcpy(p, resp_magic, sizeof(resp_magic));
	p += sizeof(resp_magic);
	memcpy(p, &r->zone_len, sizeof(uint32_t));
	p += sizeof(uint32_t);
	memcpy(p, r->zone, r->zone_len);
	p += r->zone_len;
	memcpy(p, &r->nbuyers, sizeof(uint32_t));
	p += sizeof(uint32_t);
	for (uint32_t b = 0; b < r->nbuyers; b++)
	{
		memcpy(p, &r->buyers[b].len, sizeof(uint32_t));
		p += sizeof(uint32_t);
		memcpy(p, r->keys + r->buyers[b].off, r->buyers[b].len);
		p += r->buyers[b].len;
	}
	memcpy(p, &n, sizeof(uint64_t));
	p += sizeof(uint64_t);
	if (n > 0)
		memcpy(p, r->msgs, r->nmsgs * sizeof(OdrRespMsg));
}

static bool
take(const unsigned char **p, size_t *left, void *out, size_t n)
{
	if (*left < n)
		return false;
	memcpy(out, *p, n);
	*p += n;
	*left -= n;
	return true;
}

OdrStatus
odr_resp_deserialize(OdrResp *r, const unsigned char *p, size_t len, OdrError *err)
{
	unsigned char magic[4];
	uint32_t	zlen,
				nb;
	uint64_t	n;
	OdrStatus	st;

	if (!take(&p, &len, magic, sizeof(magic)) || memcmp(magic, resp_magic, sizeof(magic)) != 0)
		return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: bad header");
	if (!take(&p, &len, &zlen, sizeof(zlen)) || zlen > ODR_RESP_ZONE_MAX || len < zlen)
		return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: bad zone");
	odr_resp_set_zone(r, (const char *) p, zlen, NULL);
	p += zlen;
	len -= zlen;
	if (!take(&p, &len, &nb, sizeof(nb)))
		return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: truncated");
	for (uint32_t b = 0; b < nb; b++)
	{
		uint32_t	klen,
					idx;

		if (!take(&p, &len, &klen, sizeof(klen)) || len < klen)
			return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: truncated buyer key");
		st = intern(r, (const char *) p, klen, &idx, err);
		if (st != ODR_OK)
			return st;
		if (idx != b)
			return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: repeated buyer key");
		p += klen;
		len -= klen;
	}
	if (!take(&p, &len, &n, sizeof(n)) || n > len / sizeof(OdrRespMsg) ||
		len != n * sizeof(OdrRespMsg))
		return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: bad message count");
	if (n == 0)
		return ODR_OK;
	{
		OdrRespMsg *msgs = ensure(r, r->msgs, &r->msgs_cap, (size_t) n, sizeof(OdrRespMsg), 8);

		if (msgs == NULL)
			return out_of_memory(err, "messages");
		r->msgs = msgs;
	}
	memcpy(r->msgs, p, (size_t) n * sizeof(OdrRespMsg));
	r->nmsgs = (size_t) n;
	r->sorted = false;
	for (size_t i = 0; i < r->nmsgs; i++)
	{
		if (r->msgs[i].buyer >= nb || r->msgs[i].kind > ODR_RESP_SELLER)
			return odr_fail(err, ODR_ERR_SYNTAX, "odr_response_rate state: bad message %zu", i);
	}
	return ODR_OK;
}

size_t
odr_resp_memory(const OdrResp *r)
{
	return sizeof(OdrResp) + r->msgs_cap * sizeof(OdrRespMsg) + r->keys_cap +
		(size_t) r->buyers_cap * sizeof(OdrRespBuyer) + (size_t) r->nslots * sizeof(uint32_t);
}
