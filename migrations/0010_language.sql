-- 0010_language.sql: the language remit speaks to each person. The
-- organisation's default (NULL: each browser's Accept-Language) and the
-- person's own choice (NULL: the organisation's default). Codes: 'en', 'de'.
ALTER TABLE org ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('en', 'de'));
ALTER TABLE person ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('en', 'de'));
