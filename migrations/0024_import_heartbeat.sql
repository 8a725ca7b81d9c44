-- 0024 Imports survive a dead worker (issue 21): the job renews a heartbeat when it is queued, when it starts and after
-- every batch; a recurring sweep queues an import again whose state is "Queued" or "Running" and whose heartbeat is
-- older than five minutes (ImportJobs.Sweep), and the run resumes after the last whole row.

ALTER TABLE cases.imports ADD COLUMN heartbeat_at timestamp with time zone;
