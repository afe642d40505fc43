-- Secrets of this installation, made by the database itself at migration (issue 20): the key
-- of the pseudonyms kept instead of a reporter's phone number or a client's address. A plain
-- SHA-256 of a 10-digit number is reversed by trying them all; a keyed one is not without the key.
-- gen_random_uuid() draws from the engine's strong random source (122 random bits a uuid).
CREATE TABLE instance_secret (
  name  text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO instance_secret (name, value)
VALUES ('pseudonym', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
