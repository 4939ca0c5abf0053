package store

import "gorm.io/gorm"

// RawDB exposes the connection to the store's own tests, which must
// sometimes look at or corrupt rows behind the store's back.
func RawDB(s *Store) *gorm.DB { return s.db }

// MySQLDSN exposes the DSN rewriting to the tests.
var MySQLDSN = mysqlDSN
