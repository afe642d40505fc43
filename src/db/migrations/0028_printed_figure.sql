-- What a source printed about a figure beyond its value (issue 18): a qualifier of the printed
-- number ("khoảng", "gần", "hơn") and a printed change where no stored value carries it — of a
-- breakdown's total (values are stored per option, so "1.383 cuộc, tăng 10,29% so với tháng
-- 12/2021" has no value to sit on), or of a figure printed with no value at all ("doanh thu, sản
-- lượng tăng trưởng khoảng 30%"). One row per element, unit, period and option; option_id null
-- is the element's total (for an element without a breakdown, its one value). A change stored
-- with a value (data_value.reported_*_pct) comes first; this one is read where there is none.
CREATE TABLE printed_figure (
  id                serial PRIMARY KEY,
  element_id        integer NOT NULL REFERENCES data_element (id) ON DELETE CASCADE,
  unit_id           integer NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
  period_id         integer NOT NULL REFERENCES period (id),
  option_id         integer REFERENCES breakdown_option (id) ON DELETE CASCADE,
  -- about: "khoảng", "~"; nearly: "gần", "lên tới gần"; over: "hơn", "trên"; under: "dưới"
  qualifier         text CHECK (qualifier IN ('about', 'nearly', 'over', 'under')),
  reported_yoy_pct  double precision,
  reported_prev_pct double precision,
  yoy_qualifier     text CHECK (yoy_qualifier IN ('about', 'nearly', 'over', 'under')),
  prev_qualifier    text CHECK (prev_qualifier IN ('about', 'nearly', 'over', 'under')),
  -- where it was printed: the article and its words
  source            text,
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One row per key; the total (option_id null) counts as one key.
CREATE UNIQUE INDEX printed_figure_key_idx
  ON printed_figure (element_id, unit_id, period_id, (coalesce(option_id, 0)));
