-- Data values as DHIS2 exchanges them (issue 14).
--
-- DHIS2's TRUE_ONLY value type: a box that is ticked or left empty.
ALTER TABLE data_element DROP CONSTRAINT data_element_value_type_check;
ALTER TABLE data_element ADD CONSTRAINT data_element_value_type_check
  CHECK (value_type IN ('integer', 'number', 'percentage', 'boolean', 'true_only', 'date', 'text'));

-- In DHIS2 an attribute option combo is a category option combo: the default one is the
-- default combo HllvX50cXC0, which files exported from DHIS2 carry on every row. 0003 gave the
-- default attribute the default category *option*'s uid (xYerKDKCefk); imports still read that
-- one as the default attribute, as Opsroom exported it before.
UPDATE attribute_option SET uid = 'HllvX50cXC0' WHERE code = 'default' AND uid = 'xYerKDKCefk';
