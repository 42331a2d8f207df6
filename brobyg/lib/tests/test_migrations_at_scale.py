"""Every migration that may touch every row of an existing table, build an index on one, or
run code has a note on what it costs at national scale (tens of millions of audit entries,
scores and responses). A new one without a note fails here: write the note, and say in the
release notes when an upgrade needs a maintenance window."""

from django.db.migrations import operations
from django.db.migrations.loader import MigrationLoader

# (app, migration): what it does to existing rows, and its run time at national scale.
NOTES = {
    ("people", "0008_peer_last_supervised_on"): (
        "Adds a nullable date column without a default to people_peer: a change of the catalogue "
        "only, no rewrite. Instant."
    ),
    ("peercare", "0002_backfill_last_supervised_on"): (
        "One UPDATE of every row of people_peer (10,000 rows at national scale) from each peer's "
        "latest attended supervision (100,000 attendances): 1.1 s measured; changes to peers "
        "wait for it meanwhile, reads do not."
    ),
    ("people", "0006_citizen_search_text"): (
        "Adds a stored generated column (name, phone and e-mail in capitals) to people_citizen: "
        "PostgreSQL rewrites the table (100,000 rows at national scale) under an exclusive lock, "
        "1.2 s measured, reads and writes of citizens waiting meanwhile. SQLite rebuilds the table."
    ),
    ("people", "0007_drop_citizen_phone_email_trigrams"): (
        "Drops two GIN trigram indexes of people_citizen CONCURRENTLY, so the table stays "
        "writable; under a second. Nothing on SQLite."
    ),
    ("intake", "0007_request_organisation_without_own_index"): (
        "Drops the index on intake_supportrequest's organisation alone (the model's other indexes "
        "start with it): a brief exclusive lock, no rows read or written. Instant."
    ),
    ("support", "0005_course_peers_by_peer"): (
        "Builds a B-tree index on support_course_peers (60,000 rows at national scale) "
        "CONCURRENTLY, so the table stays writable; under a second."
    ),
    ("intake", "0006_request_queue_order"): (
        "Builds a partial index on intake_supportrequest (100,000 rows at national scale) over "
        "the requests waiting for peer support only, CONCURRENTLY, so the table stays writable; "
        "under a second."
    ),
    ("support", "0004_course_quiet_order"): (
        "Builds a partial expression index on support_course (60,000 rows at national scale) over "
        "the active courses only, CONCURRENTLY, so the table stays writable; under a second."
    ),
    ("support", "0003_course_list_order"): (
        "Builds a B-tree index on support_course (60,000 rows at national scale) CONCURRENTLY, "
        "then drops the (organisation, status) index it replaces CONCURRENTLY: the table stays "
        "writable; under a second."
    ),
    ("intake", "0005_request_org_status"): (
        "Builds a B-tree index on intake_supportrequest (100,000 rows at national scale) "
        "CONCURRENTLY, so the table stays writable; under a second."
    ),
    ("intake", "0004_request_open_order"): (
        "Builds a partial index on intake_supportrequest (100,000 rows at national scale) over "
        "the open requests only: one read of the table, under a second; writes wait for it."
    ),
    ("outcomes", "0004_response_shared_checkins"): (
        "Builds a partial index on outcomes_response (5 million rows at national scale) that "
        "holds only the check-ins peers shared with their supervisors: one read of the table, "
        "about 5 s, writes to the table wait for it."
    ),
    ("people", "0005_citizen_search_indexes"): (
        "Builds three GIN trigram indexes on people_citizen (100,000 rows at national scale) "
        "CONCURRENTLY, so the table stays writable; a few seconds each. Nothing on SQLite."
    ),
    ("orgs", "0005_user_name_order"): (
        "Builds a B-tree index on orgs_user (about 11,000 rows at national scale) CONCURRENTLY, "
        "so the table stays writable; under a second."
    ),
    ("orgs", "0004_user_search_indexes"): (
        "Builds two GIN trigram indexes on orgs_user (about 11,000 rows at national scale) "
        "CONCURRENTLY, so the table stays writable; under a second. Nothing on SQLite."
    ),
    ("sso", "0002_identity_provider_cvr"): (
        "Adds a CharField with a constant default ('') to sso_identityprovider, one row per "
        "organisation connected to an identity provider: PostgreSQL 11+ stores the default in "
        "the catalogue without a rewrite. Instant."
    ),
    ("audit", "0006_fewer_indexes_actor_statistics"): (
        "Drops three single-column indexes of audit_logentry (8 million rows at national scale) "
        "CONCURRENTLY on PostgreSQL, so the log stays writable; under a second. Then creates "
        "extended statistics and ANALYZEs the table: a sample of 30,000 rows, about 2 s, with "
        "no lock that stops reads or writes."
    ),
    ("audit", "0007_log_ins_index"): (
        "Creates a partial index on audit_logentry (8 million rows at national scale) "
        "CONCURRENTLY on PostgreSQL, so the log stays writable: two reads of the table, 3.5 s "
        "on the benchmark machine (the whole migrate command 7.5 s). Only the log-ins "
        "(entries of no organisation, about 2,000) are in it."
    ),
    ("peercare", "0003_training_series_index"): (
        "Creates an index on peercare_trainingrecord (30,090 rows at national scale): 26 ms, "
        "during which writes to training records wait."
    ),
    ("audit", "0002_append_only_triggers"): (
        "Creates triggers only; no rows are read or written. Instant."
    ),
    ("audit", "0003_deletes_only_by_retention"): (
        "Creates a small permit table and replaces the log's trigger; no rows are read or "
        "written. Instant. Each later DELETE (only the retention job) checks the permit per row."
    ),
    ("imports", "0002_upload_rows_encrypted"): (
        "Drops the plain cells of waiting uploads and adds an empty text column for the encrypted "
        "ones: imports_importupload holds at most one upload per member, kept an hour, so a few "
        "rows. Instant; an upload waiting for its preview during the deploy must be uploaded again."
    ),
    ("imports", "0003_import_runs_in_background"): (
        "Adds nullable or constant-default columns (status, options, result, problem, finished_at) "
        "to imports_importupload, a table of a few rows kept an hour or a day. Instant."
    ),
    ("audit", "0005_log_entry_api_client"): (
        "Adds one nullable foreign key column without an index to audit_logentry: no rewrite and "
        "no index build; PostgreSQL may read the log once to check the (all empty) key: an "
        "estimated few seconds per 10 million entries (not measured)."
    ),
    ("intake", "0002_request_source_imported"): (
        "Changes only the choices of a CharField (a new request source): no database change. "
        "Instant."
    ),
    ("orgs", "0002_user_is_platform_admin"): (
        "Adds a boolean with a constant default: PostgreSQL 11+ and SQLite store the default in "
        "the catalogue without rewriting orgs_user. Instant (users: thousands of rows)."
    ),
    ("orgs", "0003_organisation_show_staff_names"): (
        "Adds a boolean with a constant default: PostgreSQL 11+ and SQLite store the default in "
        "the catalogue without rewriting orgs_organisation. Instant (organisations: hundreds)."
    ),
    ("outcomes", "0002_group_participants"): (
        "Adds two nullable foreign keys (no rewrite) and a check constraint that PostgreSQL "
        "validates by reading outcomes_invitation once under a lock: an estimated few seconds per "
        "million invitations (not measured). SQLite rebuilds the table."
    ),
    ("outcomes", "0003_score_values_index"): (
        "Drops one index and builds score_values over outcomes_score, the largest outcome table: "
        "an estimated minute per 10 million scores (not measured), writes to scores blocked "
        "meanwhile; run it in a maintenance window at national scale."
    ),
    ("sms", "0002_text_kind_message"): (
        "Changes only the choices of a CharField (a new kind of text, a message notice): no "
        "database change. Instant."
    ),
    ("sms", "0003_delivery_reports"): (
        "Adds a constant-default text column and a nullable timestamp to sms_textmessage (no "
        "rewrite on PostgreSQL 11+), new status choices (no database change), and builds the index "
        "sms_provider_id: sms_textmessage holds 90 days of texts (tens of thousands of rows "
        "nationally), an estimated second (not measured)."
    ),
    ("support", "0002_goal_version_source"): (
        "Adds three nullable or constant-default columns to support_goalversion (no rewrite on "
        "PostgreSQL 11+), then reads each course's first goal version with its request once and "
        "updates those that are the request's own words: one pass over goal versions (about one "
        "per course, a few hundred thousand nationally), an estimated minute (not measured)."
    ),
    ("intake", "0003_request_token_digest"): (
        "Renames one column of intake_supportrequest (link_token_digest to token_digest, one name "
        "for every personal link's digest): a catalogue change on PostgreSQL and SQLite 3.25+, its "
        "unique index kept; no rows are read or written. Instant."
    ),
    ("matching", "0002_match_token_digest"): (
        "Renames one column of matching_match (link_token_digest to token_digest): a catalogue "
        "change on PostgreSQL and SQLite 3.25+, its unique index kept; no rows are read or "
        "written. Instant."
    ),
    ("conversations", "0002_group_conversations"): (
        "Adds three nullable foreign keys (a conversation's group, a message's and a link's group "
        "participant), makes a conversation's course and citizen nullable and adds a check "
        "constraint that PostgreSQL validates by reading conversations_conversation once (one row "
        "per course that has messages: thousands). The indexes of the new keys are built over "
        "conversations_message: an estimated few seconds per million messages (not measured). "
        "SQLite rebuilds the tables."
    ),
    ("people", "0004_citizen_contact_channel"): (
        "Adds a short text column with a constant default to people_citizen: PostgreSQL 11+ "
        "stores the default in the catalogue without rewriting the table (SQLite may rebuild it). "
        "Instant on PostgreSQL (citizens: a few hundred thousand rows nationally)."
    ),
    ("people", "0003_consent_quotes"): (
        "Changes only the choices of a CharField: no database change. Instant."
    ),
}

ON_EXISTING_TABLES = (
    operations.AddField,
    operations.AlterField,
    operations.RemoveField,
    operations.RenameField,
    operations.AddIndex,
    operations.AddConstraint,
    operations.AlterUniqueTogether,
    operations.AlterIndexTogether,
)
RUNS_CODE = (operations.RunPython, operations.RunSQL)


def _database_operations(migration):
    for op in migration.operations:
        if isinstance(op, operations.SeparateDatabaseAndState):
            yield from op.database_operations
        else:
            yield op


def _touches_existing_rows(migration) -> bool:
    created = {
        op.name.lower()
        for op in _database_operations(migration)
        if isinstance(op, operations.CreateModel)
    }
    for op in _database_operations(migration):
        if isinstance(op, RUNS_CODE):
            return True
        model = getattr(op, "model_name", None) or op.name
        if isinstance(op, ON_EXISTING_TABLES) and model.lower() not in created:
            return True
    return False


def test_every_migration_on_existing_tables_has_a_note_on_its_cost():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        key
        for key, migration in loader.disk_migrations.items()
        if migration.__module__.startswith("brobyg.") and _touches_existing_rows(migration)
    }
    missing = sorted(found - set(NOTES))
    assert not missing, f"add a note on the run time at national scale to NOTES for {missing}"
    assert not set(NOTES) - found, "NOTES names a migration that no longer needs one"
