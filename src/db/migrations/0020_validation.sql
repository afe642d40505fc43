-- Validation rules in DHIS2's model (issue 17; src/domain/validation.ts): a left and a right
-- side, each an expression over data elements with a missing value strategy, an operator.
CREATE TABLE validation_rule (
  id                     serial PRIMARY KEY,
  code                   text NOT NULL UNIQUE,
  uid                    text UNIQUE,
  name_vi                text NOT NULL,
  name_en                text NOT NULL,
  instruction_vi         text,
  instruction_en         text,
  importance             text NOT NULL DEFAULT 'MEDIUM' CHECK (importance IN ('HIGH', 'MEDIUM', 'LOW')),
  period_type            text NOT NULL,
  levels                 jsonb NOT NULL DEFAULT '[]',   -- unit levels it applies to; [] = all
  operator               text NOT NULL CHECK (operator IN ('equal_to', 'not_equal_to',
                           'greater_than', 'greater_than_or_equal_to', 'less_than',
                           'less_than_or_equal_to', 'compulsory_pair', 'exclusive_pair')),
  left_expression        text NOT NULL,
  left_strategy          text NOT NULL CHECK (left_strategy IN ('SKIP_IF_ANY_VALUE_MISSING',
                           'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP')),
  left_description_vi    text,
  left_description_en    text,
  right_expression       text NOT NULL,
  right_strategy         text NOT NULL CHECK (right_strategy IN ('SKIP_IF_ANY_VALUE_MISSING',
                           'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP')),
  right_description_vi   text,
  right_description_en   text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE validation_rule_group (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  uid        text UNIQUE,
  name_vi    text NOT NULL,
  name_en    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE validation_rule_group_member (
  group_id integer NOT NULL REFERENCES validation_rule_group (id) ON DELETE CASCADE,
  rule_id  integer NOT NULL REFERENCES validation_rule (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, rule_id)
);
CREATE INDEX validation_rule_group_member_rule_idx ON validation_rule_group_member (rule_id);

-- Violations found by a run, kept until a run over the same rule, unit and period finds
-- otherwise (then the row is replaced or deleted). The period is its canonical id (as
-- alert.period): a violation may concern a period no value was ever stored for.
CREATE TABLE validation_result (
  id         serial PRIMARY KEY,
  rule_id    integer NOT NULL REFERENCES validation_rule (id) ON DELETE CASCADE,
  unit_id    integer NOT NULL REFERENCES org_unit (id),
  period     text NOT NULL,
  left_value  double precision,
  right_value double precision,
  importance text NOT NULL,
  found_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rule_id, unit_id, period)
);
CREATE INDEX validation_result_unit_idx ON validation_result (unit_id, period);
