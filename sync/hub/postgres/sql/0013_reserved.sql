-- Reserved for the help requests of issue #11, built on another branch;
-- that branch's 0013 replaces this empty step at merge (0014 is webhooks).
SELECT 1;
