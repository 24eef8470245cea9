-- Reserved for the help requests of issue #11, built on another branch;
-- that branch's 0016 replaces this empty step at merge (0017 is webhooks).
SELECT 1;
