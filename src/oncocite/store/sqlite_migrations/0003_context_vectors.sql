-- oncocite embedded store, migration 3: a second vector per passage, of its context.
--
-- The context line (title, headings, focus, question type) says what a passage is
-- about; its embedding is matched against a patient's question as a question is
-- matched against the questions a library already answers. Vectors stay keyed by
-- the hash of the text embedded, so a context shared by many passages is embedded
-- once. oncocite_text_hash() is registered by the store: sha1 of the UTF-8 text.

ALTER TABLE passages ADD COLUMN context_hash TEXT NOT NULL DEFAULT '';
UPDATE passages SET context_hash = oncocite_text_hash(context);
CREATE INDEX passages_context_hash ON passages(context_hash);
