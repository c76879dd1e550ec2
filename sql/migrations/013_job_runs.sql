-- Jobs that run once a day on one instance: the row is the claim (sql has no cron; every
-- instance's jobs worker tries, the first INSERT wins).
CREATE TABLE job_runs (
  job         text NOT NULL,
  day         date NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, day)
);
