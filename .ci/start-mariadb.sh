#!/usr/bin/env bash
# Installs (if missing) and starts a local MariaDB, then creates the test database and user.
set -euo pipefail
if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq mariadb-server >/dev/null
fi
if ! mariadb-admin ping --silent >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  (service mariadb start || service mysql start) >/dev/null 2>&1 || \
    (nohup mysqld_safe --user=mysql >/tmp/mariadb.log 2>&1 &)
  for _ in $(seq 1 60); do mariadb-admin ping --silent >/dev/null 2>&1 && break; sleep 1; done
fi
mariadb-admin ping --silent
mariadb -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS securechat_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'securechat'@'127.0.0.1' IDENTIFIED BY 'securechat-ci';
CREATE USER IF NOT EXISTS 'securechat'@'localhost' IDENTIFIED BY 'securechat-ci';
GRANT ALL PRIVILEGES ON securechat_test.* TO 'securechat'@'127.0.0.1';
GRANT ALL PRIVILEGES ON securechat_test.* TO 'securechat'@'localhost';
FLUSH PRIVILEGES;
SQL
