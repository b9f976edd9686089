//! Which database errors a retry can cure: the database out of reach, full, read-only or busy
//! ([`Unavailable`]), told from faults in a query or the data.

use sea_orm::DbErr;

use super::group_commit::{GROUP_UNDONE, NO_TURN};

/// Why a database error is one that retrying later can cure, rather than a fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The database is out of reach: a dropped or refused connection, a server shutting down or
    /// starting, no connection free in time.
    Unreachable,
    /// Its disk is full (SQLITE_FULL, PostgreSQL's `disk_full`).
    Full,
    /// It can be read but not written (a file system remounted read-only, a standby server).
    ReadOnly,
    /// Another writer held it past the wait.
    Busy,
}

/// Whether `e` is a database being unavailable ([`Unavailable`]) rather than a mistake in a
/// query or the data. SQLite's result codes and PostgreSQL's SQLSTATEs are read from the driver.
pub fn unavailable(e: &DbErr) -> Option<Unavailable> {
    use sea_orm::RuntimeErr;
    let runtime = match e {
        DbErr::ConnectionAcquire(_) => return Some(Unavailable::Unreachable),
        DbErr::Custom(message)
            if message.starts_with(NO_TURN) || message.starts_with(GROUP_UNDONE) =>
        {
            return Some(Unavailable::Busy)
        }
        DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return None,
    };
    let by_driver = match runtime {
        RuntimeErr::SqlxError(sqlx) => driver_unavailable(sqlx),
        _ => None,
    };
    // Failing to connect or to begin is the database out of reach, whatever the driver says
    // (a connection cut during its handshake reads as a protocol error).
    by_driver.or(matches!(e, DbErr::Conn(_)).then_some(Unavailable::Unreachable))
}

fn driver_unavailable(e: &sea_orm::sqlx::Error) -> Option<Unavailable> {
    use sea_orm::sqlx::Error as Sqlx;
    match e {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::Protocol(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => Some(Unavailable::Unreachable),
        Sqlx::Database(db) => {
            let code = db.code()?;
            match code.parse::<i32>() {
                // SQLite: the primary result code is the extended code's low byte.
                Ok(extended) => match extended & 0xff {
                    5 | 6 => Some(Unavailable::Busy), // SQLITE_BUSY, SQLITE_LOCKED
                    8 => Some(Unavailable::ReadOnly), // SQLITE_READONLY
                    // SQLITE_IOERR, SQLITE_CANTOPEN: the file system failed under it.
                    10 | 14 => Some(Unavailable::Unreachable),
                    13 => Some(Unavailable::Full), // SQLITE_FULL
                    _ => None,
                },
                // PostgreSQL's SQLSTATE.
                Err(_) => match code.as_ref() {
                    "53100" => Some(Unavailable::Full),
                    "25006" => Some(Unavailable::ReadOnly),
                    "55P03" | "40001" | "40P01" => Some(Unavailable::Busy),
                    // Class 08 (connection exception); admin or crash shutdown, starting up.
                    c if c.starts_with("08") || matches!(c, "57P01" | "57P02" | "57P03") => {
                        Some(Unavailable::Unreachable)
                    }
                    c if c.starts_with("53") => Some(Unavailable::Busy),
                    _ => None,
                },
            }
        }
        _ => None,
    }
}

pub(super) fn is_locked(e: &DbErr) -> bool {
    e.to_string().contains("database is locked")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn errors_that_a_retry_can_cure_are_told_from_faults() {
        use sea_orm::sqlx::Error as Sqlx;
        use sea_orm::RuntimeErr;
        let sqlx = |e: Sqlx| RuntimeErr::SqlxError(Arc::new(e));
        let cut = || std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(
            unavailable(&DbErr::Query(sqlx(Sqlx::Io(cut())))),
            Some(Unavailable::Unreachable)
        );
        // A connection cut in its handshake: the driver calls it a protocol error.
        assert_eq!(
            unavailable(&DbErr::Conn(sqlx(Sqlx::Protocol(
                "unexpected response".into()
            )))),
            Some(Unavailable::Unreachable)
        );
        assert_eq!(
            unavailable(&DbErr::Conn(RuntimeErr::Internal("no connection".into()))),
            Some(Unavailable::Unreachable)
        );
        assert_eq!(
            unavailable(&DbErr::Exec(sqlx(Sqlx::PoolTimedOut))),
            Some(Unavailable::Unreachable)
        );
        assert_eq!(
            unavailable(&DbErr::Custom(format!("{NO_TURN} within 10 s"))),
            Some(Unavailable::Busy)
        );
        // A mistake in a query or the data is a fault, not a reason to retry.
        assert_eq!(
            unavailable(&DbErr::Query(sqlx(Sqlx::ColumnNotFound("x".into())))),
            None
        );
        assert_eq!(unavailable(&DbErr::Custom("bad row".into())), None);
        assert_eq!(unavailable(&DbErr::RecordNotFound("x".into())), None);
    }
}
