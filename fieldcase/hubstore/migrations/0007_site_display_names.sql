-- A site's display names in Chinese and English (the project file's migration 0013), kept
-- in the readable state as the project file holds them.

ALTER TABLE sites ADD COLUMN name_zh text;
ALTER TABLE sites ADD COLUMN name_en text;
