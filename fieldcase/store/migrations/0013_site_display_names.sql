-- A site's display names, in Chinese and in English: what a chapter in that language prints
-- for the site (夏木村 in a Chinese chapter, Xiamu Village in an English one) instead of its
-- name, which stays the key the project, imports and merges know it by.

ALTER TABLE sites ADD COLUMN name_zh TEXT;
ALTER TABLE sites ADD COLUMN name_en TEXT;
