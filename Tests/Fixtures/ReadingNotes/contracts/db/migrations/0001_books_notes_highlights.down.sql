DROP TABLE highlights;
DROP TABLE notes;
DROP TABLE books;
