-- A database as gazette left it at schema version 6, before items had an
-- author_email column: one topic, one feed, one item collected then.
-- tests/e2e/author-email.sh loads it to check that migrations 7 and later keep it.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE topics (  id INTEGER PRIMARY KEY,  slug TEXT NOT NULL UNIQUE,  name TEXT NOT NULL,  description TEXT,  created INTEGER NOT NULL);
INSERT INTO topics VALUES(1,'news','news',NULL,1796415070);
CREATE TABLE feeds (  id INTEGER PRIMARY KEY,  url TEXT NOT NULL UNIQUE,  title TEXT,  site_link TEXT,  etag TEXT,  last_modified TEXT,  state TEXT NOT NULL DEFAULT 'active'    CHECK (state IN ('active', 'paused', 'gone')),  last_fetch INTEGER,  last_status INTEGER,  last_error TEXT,  consecutive_errors INTEGER NOT NULL DEFAULT 0,  next_fetch INTEGER,  last_new_item INTEGER,  created INTEGER NOT NULL, title_set INTEGER NOT NULL DEFAULT 0);
INSERT INTO feeds VALUES(1,'http://127.0.0.1/old.xml','Old Feed','https://old.example.org/',NULL,NULL,'active',1795000000,0,NULL,0,NULL,1795000000,1796415070,0);
CREATE TABLE feed_topics (  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,  topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,  PRIMARY KEY (feed_id, topic_id)) WITHOUT ROWID;
INSERT INTO feed_topics VALUES(1,1);
CREATE TABLE items (  id INTEGER PRIMARY KEY AUTOINCREMENT,  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,  key TEXT NOT NULL,  title TEXT,  link TEXT,  author TEXT,  published INTEGER,  updated INTEGER,  summary_html TEXT,  content_html TEXT,  categories TEXT,  fetched INTEGER NOT NULL,  UNIQUE (feed_id, key));
INSERT INTO items VALUES(1,1,'old-1','Stored before the e-mail column','https://old.example.org/1','Jo Old',1794823200,NULL,'Old body.',NULL,NULL,1795000000);
CREATE TABLE subscribers (  id INTEGER PRIMARY KEY,  email TEXT NOT NULL UNIQUE COLLATE NOCASE,  name TEXT,  status TEXT NOT NULL DEFAULT 'active'    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),  token TEXT NOT NULL UNIQUE,  frequency TEXT NOT NULL DEFAULT 'weekly'    CHECK (frequency IN ('daily', 'weekly')),  created INTEGER NOT NULL,  confirmed INTEGER,  bounces INTEGER NOT NULL DEFAULT 0,  last_digest INTEGER, token_hash BLOB, soft_bounces INTEGER NOT NULL  DEFAULT 0);
CREATE TABLE subscriptions (  subscriber_id INTEGER NOT NULL    REFERENCES subscribers(id) ON DELETE CASCADE,  topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,  mark INTEGER NOT NULL DEFAULT 0,  created INTEGER NOT NULL,  PRIMARY KEY (subscriber_id, topic_id)) WITHOUT ROWID;
CREATE TABLE digest_items (  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,  topic_id INTEGER NOT NULL,  position INTEGER NOT NULL,  PRIMARY KEY (digest_id, item_id)) WITHOUT ROWID;
CREATE TABLE digest_topics (  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,  topic_id INTEGER NOT NULL,  position INTEGER NOT NULL,  more INTEGER NOT NULL DEFAULT 0,  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS "digests" (  id INTEGER PRIMARY KEY AUTOINCREMENT,  subscriber_id INTEGER NOT NULL    REFERENCES subscribers(id) ON DELETE CASCADE,  created INTEGER NOT NULL,  message_id TEXT NOT NULL UNIQUE,  state TEXT NOT NULL DEFAULT 'queued'    CHECK (state IN ('queued', 'sent', 'deferred', 'failed',      'dropped')),  attempts INTEGER NOT NULL DEFAULT 0,  next_attempt INTEGER,  last_error TEXT,  sent INTEGER);
CREATE TABLE notes (  id INTEGER PRIMARY KEY,  markdown TEXT NOT NULL,  created INTEGER NOT NULL);
CREATE TABLE digest_notes (  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,  topic_id INTEGER NOT NULL,  note_id INTEGER NOT NULL REFERENCES notes(id),  PRIMARY KEY (digest_id, topic_id)) WITHOUT ROWID;
CREATE TABLE handled_mail (  key TEXT PRIMARY KEY,  handled INTEGER NOT NULL,  outcome TEXT NOT NULL) WITHOUT ROWID;
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('items',1);
CREATE INDEX feed_topics_topic ON feed_topics(topic_id);
CREATE INDEX items_link ON items(link);
CREATE INDEX subscriptions_topic ON subscriptions(topic_id);
CREATE INDEX digests_state ON digests(state, next_attempt);
CREATE UNIQUE INDEX subscribers_token_hash  ON subscribers(token_hash);
PRAGMA user_version = 6;
COMMIT;
