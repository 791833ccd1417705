DROP TABLE dead_letter_previews;
