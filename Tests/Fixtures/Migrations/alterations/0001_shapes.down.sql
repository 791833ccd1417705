DROP TABLE items, owners;
DROP TYPE shade;
