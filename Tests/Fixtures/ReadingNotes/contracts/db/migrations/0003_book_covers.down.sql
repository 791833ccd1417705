DROP TABLE book_covers;
