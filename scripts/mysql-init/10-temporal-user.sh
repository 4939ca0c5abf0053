#!/bin/bash
# The mysql image runs this once, when its data volume is first initialised
# (docker-compose.yml mounts this directory at /docker-entrypoint-initdb.d).
# The image itself creates database `yizhi` and account `yizhi`; this gives
# Temporal an account of its own that may create and own exactly its two
# databases, which temporalio/auto-setup then creates.
# The image may source this file instead of running it: no `set` or `exit`.
mysql --protocol=socket --user=root --password="${MYSQL_ROOT_PASSWORD}" <<SQL
CREATE USER IF NOT EXISTS 'temporal'@'%' IDENTIFIED BY '${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}';
GRANT ALL PRIVILEGES ON \`temporal\`.* TO 'temporal'@'%';
GRANT ALL PRIVILEGES ON \`temporal_visibility\`.* TO 'temporal'@'%';
SQL
