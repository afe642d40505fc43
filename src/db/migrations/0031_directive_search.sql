-- Searching directives (issue 19): "chi thi" finds "Chỉ thị". One fold of Vietnamese text, in
-- SQL so that the stored column and the searched words go through the same function: lower
-- case, the marked letters to their base letter (upper and lower case are both listed: lower()
-- leaves them alone under the C collation), đ as d, and the combining marks of decomposed text
-- dropped (translate() deletes the characters of its second argument that have no match in the
-- third). Core functions only, so it runs on PGlite and PostgreSQL 15 alike.
CREATE FUNCTION opsroom_fold(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
AS $$
  SELECT translate(lower(s),
    'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'
    || 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ'
    || U&'\0300\0301\0302\0303\0306\0309\031B\0323',
    'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd'
    || 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')
$$;

-- The folded title and body, kept by the database itself (existing rows are filled here).
ALTER TABLE directive ADD COLUMN search_text text NOT NULL
  GENERATED ALWAYS AS (opsroom_fold(title || ' ' || body)) STORED;
