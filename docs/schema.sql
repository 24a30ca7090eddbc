-- llm-slo output tables (DESIGN §7). Generated from io.llmslo.sink.TableSchemas;
-- do not edit: regenerate with mvn -q test -Dtest=SchemaSqlTest -Dschema.write=true

CREATE TABLE IF NOT EXISTS slo_status (
  slo TEXT NOT NULL,
  cohort TEXT NOT NULL,
  eval_time TIMESTAMP,
  "window" TEXT,
  n BIGINT,
  good BIGINT,
  value DOUBLE PRECISION,
  target DOUBLE PRECISION,
  ci_low DOUBLE PRECISION,
  ci_high DOUBLE PRECISION,
  p_value DOUBLE PRECISION,
  status TEXT,
  burn_1h DOUBLE PRECISION,
  burn_6h DOUBLE PRECISION,
  burn_24h DOUBLE PRECISION,
  burn_7d DOUBLE PRECISION,
  budget_remaining DOUBLE PRECISION,
  alert TEXT,
  quantile_value DOUBLE PRECISION,
  value_7d_ago DOUBLE PRECISION,
  e_value DOUBLE PRECISION,
  e_threshold DOUBLE PRECISION,
  alpha_adjusted DOUBLE PRECISION,
  detected_at TIMESTAMP,
  PRIMARY KEY (slo, cohort)
);

CREATE TABLE IF NOT EXISTS slo_history (
  slo TEXT NOT NULL,
  cohort TEXT NOT NULL,
  eval_time TIMESTAMP NOT NULL,
  "window" TEXT,
  n BIGINT,
  good BIGINT,
  value DOUBLE PRECISION,
  target DOUBLE PRECISION,
  ci_low DOUBLE PRECISION,
  ci_high DOUBLE PRECISION,
  p_value DOUBLE PRECISION,
  status TEXT,
  burn_1h DOUBLE PRECISION,
  burn_6h DOUBLE PRECISION,
  burn_24h DOUBLE PRECISION,
  burn_7d DOUBLE PRECISION,
  budget_remaining DOUBLE PRECISION,
  alert TEXT,
  quantile_value DOUBLE PRECISION,
  value_7d_ago DOUBLE PRECISION,
  e_value DOUBLE PRECISION,
  e_threshold DOUBLE PRECISION,
  alpha_adjusted DOUBLE PRECISION,
  detected_at TIMESTAMP,
  PRIMARY KEY (slo, cohort, eval_time)
);

CREATE TABLE IF NOT EXISTS slo_alerts (
  slo TEXT NOT NULL,
  cohort TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  at TIMESTAMP NOT NULL,
  long_window TEXT,
  short_window TEXT,
  burn_long DOUBLE PRECISION,
  burn_short DOUBLE PRECISION,
  p_value DOUBLE PRECISION,
  n BIGINT,
  e_value DOUBLE PRECISION,
  e_threshold DOUBLE PRECISION,
  change_at TIMESTAMP,
  detected_burn DOUBLE PRECISION,
  PRIMARY KEY (slo, cohort, severity, state, at)
);

CREATE TABLE IF NOT EXISTS dead_letters (
  source TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  event_time TIMESTAMP,
  reason TEXT,
  payload TEXT,
  count BIGINT,
  PRIMARY KEY (source, payload_hash)
);

CREATE TABLE IF NOT EXISTS judge_scores (
  request_id TEXT NOT NULL,
  rubric TEXT,
  rubric_version BIGINT,
  judge_model TEXT,
  score BIGINT,
  reason TEXT,
  latency_ms BIGINT,
  error TEXT,
  ts TIMESTAMP,
  input_tokens BIGINT,
  output_tokens BIGINT,
  PRIMARY KEY (request_id)
);

CREATE TABLE IF NOT EXISTS judge_calibration (
  rubric TEXT NOT NULL,
  rubric_version BIGINT NOT NULL,
  judge_model TEXT NOT NULL,
  eval_time TIMESTAMP NOT NULL,
  n_pairs BIGINT,
  exact_agreement DOUBLE PRECISION,
  within_one DOUBLE PRECISION,
  useful_agreement DOUBLE PRECISION,
  kappa DOUBLE PRECISION,
  mean_bias DOUBLE PRECISION,
  min_agreement DOUBLE PRECISION,
  alert BOOLEAN,
  window_length TEXT,
  window_pairs BIGINT,
  window_useful_agreement DOUBLE PRECISION,
  window_agreement_low DOUBLE PRECISION,
  window_agreement_high DOUBLE PRECISION,
  window_kappa DOUBLE PRECISION,
  calibrated BOOLEAN,
  PRIMARY KEY (rubric, rubric_version, judge_model, eval_time)
);

CREATE TABLE IF NOT EXISTS review_queue (
  request_id TEXT NOT NULL,
  ts TIMESTAMP,
  stratum TEXT,
  rubric TEXT,
  rubric_version BIGINT,
  judge_model TEXT,
  judge_score BIGINT,
  probability DOUBLE PRECISION,
  reason TEXT,
  PRIMARY KEY (request_id)
);
