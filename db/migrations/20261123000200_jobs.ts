import type { Knex } from "knex";

/**
 * The job queue (pg-boss semantics on MySQL/MariaDB) and its append-only event log.
 * See jobs/queue.ts for the operations and their locking.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("jobs", (t) => {
    t.bigIncrements("id").primary();
    t.string("name", 120).notNullable();
    // created | retry | active | completed | cancelled | failed (jobs/states.ts)
    t.string("state", 16).notNullable().defaultTo("created");
    t.integer("priority").notNullable().defaultTo(0);
    t.json("data").nullable();
    t.json("output").nullable();
    // The last error message (kept on the row when a job fails or is retried).
    t.text("error").nullable();
    t.integer("retry_limit").unsigned().notNullable().defaultTo(2);
    t.integer("retry_count").unsigned().notNullable().defaultTo(0);
    t.integer("retry_delay_ms").unsigned().notNullable().defaultTo(0);
    t.integer("retry_delay_max_ms").unsigned().notNullable().defaultTo(0);
    t.boolean("retry_backoff").notNullable().defaultTo(true);
    // An active job whose heartbeat is older than this is abandoned (worker died).
    t.integer("expire_in_ms").unsigned().notNullable().defaultTo(60_000);
    t.string("singleton_key", 200).nullable();
    t.string("locked_by", 100).nullable();
    t.bigInteger("user_id").unsigned().nullable().references("users.id").onDelete("CASCADE").index();
    // Several jobs of one task (e.g. one per algorithm) followed as one event stream.
    t.string("group_id", 64).nullable().index();
    // Last per-job event sequence number handed out (job_events.seq).
    t.integer("event_seq").unsigned().notNullable().defaultTo(0);
    t.timestamp("start_after", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("started_at", { precision: 3 }).nullable();
    t.timestamp("heartbeat_at", { precision: 3 }).nullable();
    t.timestamp("completed_at", { precision: 3 }).nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["state", "heartbeat_at"], "jobs_state_heartbeat_idx");
    t.index(["state", "completed_at"], "jobs_state_completed_idx");
    t.index(["user_id", "created_at"], "jobs_user_created_idx");
  });
  // Generated columns, so that MySQL's plain indexes do what PostgreSQL's partial ones would:
  // - waiting: 1 for created/retry, NULL otherwise; the fetch scans (waiting, priority DESC, id) in
  //   index order and stops at LIMIT, so SKIP LOCKED only touches the rows it returns.
  // - singleton_on: the singleton key while the job is waiting or active, NULL once finished;
  //   UNIQUE(name, singleton_on) allows one live job per (name, key) and any number of finished ones.
  await knex.raw(`ALTER TABLE jobs
    ADD COLUMN waiting TINYINT AS (IF(state IN ('created','retry'), 1, NULL)) STORED,
    ADD COLUMN singleton_on VARCHAR(200) AS (IF(state IN ('created','retry','active'), singleton_key, NULL)) STORED`);
  await knex.raw("CREATE INDEX jobs_fetch_idx ON jobs (waiting, priority DESC, id)");
  await knex.raw("CREATE UNIQUE INDEX jobs_singleton_uq ON jobs (name, singleton_on)");

  await knex.schema.createTable("job_events", (t) => {
    // The global cursor of a stream (lastEventId).
    t.bigIncrements("id").primary();
    t.bigInteger("job_id").unsigned().notNullable().references("jobs.id").onDelete("CASCADE");
    t.integer("seq").unsigned().notNullable();
    t.string("type", 16).notNullable(); // log | metric | progress | status
    t.json("payload").notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(["job_id", "seq"], { indexName: "job_events_job_seq_uq" });
    t.index(["job_id", "id"], "job_events_job_id_idx");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("job_events");
  await knex.schema.dropTableIfExists("jobs");
}
