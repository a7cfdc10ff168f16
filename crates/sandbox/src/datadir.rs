//! The on-disk privacy of `--data-dir`: its files hold every Secret of every cluster (member credentials
//! included) and each cluster's CA key and admin token, so they are created 0600 in directories 0700
//! whatever the umask, and a data directory that other users can write to is refused before anything is
//! read or written there.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Mode of every directory the sandbox creates under `--data-dir` (and of the data dir itself when the
/// sandbox creates it).
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the sandbox writes under `--data-dir`.
pub const FILE_MODE: u32 = 0o600;

/// Files a cluster keeps in its directory.
pub const DATA_FILES: &[&str] = &["snapshot.json", "wal.jsonl", "identity.json"];

/// A path that group or others can write to, and its mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writable {
    pub path: PathBuf,
    pub mode: u32,
}

/// The first of the data dir, each cluster's directory and each cluster's data files (those that exist)
/// that group or others can write to. Whoever can write there can replace the stored Secrets and
/// credentials, or plant a symlink where the sandbox will write them.
pub fn writable_by_others(data_dir: &Path, clusters: &[String]) -> io::Result<Option<Writable>> {
    let mut paths = vec![data_dir.to_path_buf()];
    for c in clusters {
        let dir = data_dir.join(c);
        paths.push(dir.clone());
        paths.extend(DATA_FILES.iter().map(|f| dir.join(f)));
    }
    for path in paths {
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        let mode = mode_of(&meta);
        if mode & 0o022 != 0 {
            return Ok(Some(Writable { path, mode }));
        }
    }
    Ok(None)
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_meta: &std::fs::Metadata) -> u32 {
    0
}

/// Creates `dir` (and missing parents) with mode 0700, and makes an existing `dir` 0700: it is the sandbox's
/// own directory (a cluster's), never one the user shares.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(dir)?;
        // The umask may have removed nothing we asked for, but an existing directory keeps its old mode.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Opens `path` for writing with mode 0600: created so, and an existing file (left by an older version or
/// a crash) is made 0600 too before anything is written to it.
pub fn open_private(path: &Path, truncate: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true);
    if truncate {
        opts.truncate(true);
    } else {
        opts.append(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(FILE_MODE);
    }
    let f = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(f)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn group_or_other_write_anywhere_in_the_data_is_found() {
        let d = tempfile::tempdir().unwrap();
        let clusters = vec!["host".to_string()];
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(writable_by_others(d.path(), &clusters).unwrap(), None);
        create_private_dir(&d.path().join("host")).unwrap();
        let wal = d.path().join("host/wal.jsonl");
        std::fs::write(&wal, b"").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o664)).unwrap();
        assert_eq!(
            writable_by_others(d.path(), &clusters).unwrap(),
            Some(Writable {
                path: wal,
                mode: 0o664
            })
        );
        std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
        let w = writable_by_others(d.path(), &clusters).unwrap().unwrap();
        assert_eq!((w.path.as_path(), w.mode), (d.path(), 0o1777));
    }

    #[test]
    fn existing_files_and_dirs_are_made_private() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("c");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let f = dir.join("wal.jsonl");
        std::fs::write(&f, b"x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_private(&f, false).unwrap());
        assert_eq!(mode(&f), 0o600);
        assert_eq!(std::fs::read(&f).unwrap(), b"x", "append keeps the content");
    }
}
