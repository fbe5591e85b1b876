"""Drop the store schema's `django_admin_log.user_id` foreign key to `public.accounts_seller`.

Every such key puts two RI triggers on the one public seller table: 4,016 of them at 2,000
stores. A new database connection loads them all the first time it reads a seller (+10 ms at
2,000 stores), and each new store invalidates that cache in every open connection, so
store-host latency grew with the number of stores (docs/proofs-and-benchmarks.md). The store
tables' other references to sellers are already without a database constraint for the same
reason (conversations, traffic). Sellers are never deleted, and the public schema's own admin
log keeps its key.
"""

from django.db import migrations

DROP = """
DO $$
DECLARE constraint_name text;
BEGIN
    FOR constraint_name IN
        SELECT con.conname FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class referenced ON referenced.oid = con.confrelid
        WHERE con.contype = 'f' AND n.nspname = current_schema()
          AND c.relname = 'django_admin_log' AND referenced.relname = 'accounts_seller'
    LOOP
        EXECUTE format('ALTER TABLE django_admin_log DROP CONSTRAINT %I', constraint_name);
    END LOOP;
END $$;
"""

RESTORE = """
ALTER TABLE django_admin_log ADD CONSTRAINT django_admin_log_user_id_fk_accounts_seller_id
    FOREIGN KEY (user_id) REFERENCES public.accounts_seller (id) DEFERRABLE INITIALLY DEFERRED;
"""


class Migration(migrations.Migration):
    dependencies = [("admin", "0003_logentry_add_action_flag_choices")]

    operations = [migrations.RunSQL(DROP, RESTORE)]
