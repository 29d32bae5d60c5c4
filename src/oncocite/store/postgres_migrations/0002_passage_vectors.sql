-- oncocite PostgreSQL store, migration 2: the HNSW index of a model holds passage
-- vectors only.
--
-- A model's vectors are of two kinds, keyed alike by the hash of the text embedded:
-- a passage's text (with its context line) and a context line alone. Questions sit
-- closer to context lines ("Breast cancer · treatment") than to passages, so in one
-- index the context vectors took most of the nearest places (measured: 323 of the
-- 400 nearest to a MedQuAD question) and `nearest`, which needs passages, read four
-- times deeper than it had to. `passage` marks the vectors of a stored passage's
-- text (set by `put_embeddings`), and the index is partial on it. The old indexes,
-- over both kinds, are dropped; the new one is built here, per model, over the
-- dimension its vectors have (models read first: an index cannot be built on a
-- table this session is still reading).

ALTER TABLE embeddings ADD COLUMN IF NOT EXISTS passage BOOLEAN NOT NULL DEFAULT false;

UPDATE embeddings e SET passage = true
    WHERE EXISTS (SELECT 1 FROM passages p WHERE p.text_hash = e.text_hash);

DO $$ DECLARE r record; BEGIN FOR r IN SELECT indexname FROM pg_indexes WHERE tablename = 'embeddings' AND indexname LIKE 'embeddings\_hnsw\_%' LOOP EXECUTE format('DROP INDEX %I', r.indexname); END LOOP; END $$;

DO $$ DECLARE models text[]; dims int[]; BEGIN SELECT array_agg(model ORDER BY model), array_agg(d ORDER BY model) INTO models, dims FROM (SELECT model, max(vector_dims(vector)) AS d FROM embeddings GROUP BY model) found; FOR i IN 1 .. coalesce(array_length(models, 1), 0) LOOP EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON embeddings USING hnsw ((vector::vector(%s)) vector_cosine_ops) WHERE model = %L AND passage', 'embeddings_ann_' || left(encode(sha256(convert_to(models[i], 'UTF8')), 'hex'), 12), dims[i], models[i]); END LOOP; END $$;
