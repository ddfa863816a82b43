/*
 * odr 0.1.0 -> 0.2.0.  Every object new in 0.2.0, in the same words as
 * sql/odr.sql (test/upgrade.sh checks that an updated database equals a fresh
 * install, object by object and result by result).
 */

\echo Use "ALTER EXTENSION odr UPDATE TO '0.2.0'" to load this file. \quit
