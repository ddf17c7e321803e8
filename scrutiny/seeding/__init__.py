"""A plausible decade of national data for benchmarks: `manage.py seed_national`.

Everything here writes with bulk inserts (bulk_create, and COPY for record-reading answers on
PostgreSQL) and deliberately bypasses the apps' services: the services write one record at a
time with its History row, which would take hours for millions of answers. The rows still
satisfy every database constraint and the invariants the services keep (a lead inspector per
inspection, agreed records with who and when, evaluation chains proposed -> panel -> final,
object permissions for each inspection's team). No History rows are written for seeded data:
History pages of seeded records are empty until someone changes them.

Seeded rows are recognisable: staff accounts have addresses at *.seed.example, and each stage's
completion is recorded in the table `seed_national_stage` (created by the command, outside the
migrations), so a second run adds nothing."""
