-- Scale slips checked on arrival (issue 17): a value 100× or more above or below the typical
-- magnitude of the same unit's recent values of the same figure is flagged as it is saved, with
-- the band it left in low/high, beside the min–max flags.
ALTER TABLE value_outlier DROP CONSTRAINT value_outlier_kind_check;
ALTER TABLE value_outlier ADD CONSTRAINT value_outlier_kind_check
  CHECK (kind IN ('min_max', 'scale_slip'));
