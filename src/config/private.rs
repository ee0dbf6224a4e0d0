//! What copyjobs keeps for itself is its user's alone: the state directory
//! holds an account's inventory (every job's ARN, account, model and
//! failure), so on a shared host with the usual umask 022 it must not be
//! readable by the other users. Folders are made `700` and files `600` as
//! they are created (never created open and closed after), whatever the
//! umask; what an older version left open is tightened at start
//! ([`tighten`]).
//!
//! Exports and man pages do not come here: they go where the user asked,
//! under the user's umask.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A folder's mode: its owner's alone.
pub const DIR_MODE: u32 = 0o700;
/// A file's mode: its owner reads and writes it, nobody else.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` and any missing parent, each `700` (as the XDG base
/// directory specification asks of a base directory it has to create).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, DIR_MODE);
    b.create(dir)
}

/// The options every file here is opened with: `600` when created.
fn options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, FILE_MODE);
    o
}

/// `std::fs::write`, the file created `600`: a temporary file that is
/// then renamed or linked into place keeps its mode.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    use std::io::Write;
    options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?
        .write_all(contents.as_ref())
}

/// Opens `path` to append to, created `600` when missing.
pub fn append(path: &Path) -> io::Result<File> {
    options().create(true).append(true).open(path)
}

/// Creates `path` empty and `600` if it is missing; an existing file is
/// left as it is. SQLite creates a database with the umask's mode and its
/// `-wal`/`-shm` files with the database's own, so the file is made first.
pub fn touch(path: &Path) -> io::Result<()> {
    options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    Ok(())
}

/// What [`tighten`] did under `dir`: each path with the mode it had, and
/// those it could not change with why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tightened {
    pub dir: PathBuf,
    pub changed: Vec<(PathBuf, u32)>,
    pub refused: Vec<(PathBuf, String)>,
}

/// Names shown in a line, at most: a folder of records could be long.
const NAMED: usize = 4;

impl Tightened {
    /// One line for the log when something was tightened.
    pub fn said(&self) -> Option<String> {
        let names = self
            .changed
            .iter()
            .map(|(p, mode)| format!("{} was {mode:o}", self.relative(p)));
        line(&self.dir, names, |n| {
            format!(
                "was open to other users: {n} made private (folders {DIR_MODE:o}, files {FILE_MODE:o})"
            )
        })
    }

    /// One warning when something could not be tightened (a file of
    /// another user's, a read-only disk): copyjobs goes on.
    pub fn warning(&self) -> Option<String> {
        let names = self
            .refused
            .iter()
            .map(|(p, why)| format!("{} ({why})", self.relative(p)));
        line(&self.dir, names, |n| {
            format!("is open to other users and {n} could not be made private")
        })
    }

    /// `path` from the folder tightened (`.` for the folder itself).
    fn relative(&self, path: &Path) -> String {
        match path.strip_prefix(&self.dir) {
            Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
            Ok(p) => p.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }
}

/// `DIR <what N entries>: a, b, c, d and 3 more`; None for no names.
fn line(
    dir: &Path,
    names: impl ExactSizeIterator<Item = String>,
    what: impl Fn(&str) -> String,
) -> Option<String> {
    let n = names.len();
    let entries = if n == 1 {
        "1 entry".to_string()
    } else {
        format!("{n} entries")
    };
    let mut shown: Vec<String> = names.take(NAMED).collect();
    if n > NAMED {
        shown.push(format!("and {} more", n - NAMED));
    }
    (n > 0).then(|| format!("{} {}: {}", dir.display(), what(&entries), shown.join(", ")))
}

/// Takes the other users' bits off `dir` and everything under it (links
/// are not followed: what they point at is not ours to change). A missing
/// folder is nothing to do.
pub fn tighten(dir: &Path) -> Tightened {
    let mut done = Tightened {
        dir: dir.to_path_buf(),
        ..Tightened::default()
    };
    #[cfg(unix)]
    visit(dir, &mut done);
    done
}

/// [`tighten`] on the state directory, as each start does before it
/// writes there; None without a home directory.
pub fn tighten_state() -> Option<Tightened> {
    super::state_dir().map(|d| tighten(&d))
}

#[cfg(unix)]
fn visit(path: &Path, done: &mut Tightened) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        let tight = std::fs::Permissions::from_mode(mode & !0o077);
        match std::fs::set_permissions(path, tight) {
            Ok(()) => done.changed.push((path.to_path_buf(), mode)),
            Err(e) => done.refused.push((path.to_path_buf(), e.to_string())),
        }
    }
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            visit(&p, done);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    fn fresh(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("copyjobs-private-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn what_is_created_is_private_and_an_existing_file_is_kept() {
        let d = fresh("create");
        create_dir_all(&d.join("a/b")).unwrap();
        assert_eq!(
            (mode(&d), mode(&d.join("a")), mode(&d.join("a/b"))),
            (0o700, 0o700, 0o700)
        );
        let f = d.join("a/f");
        write(&f, "one").unwrap();
        assert_eq!(mode(&f), 0o600);
        let g = d.join("g");
        drop(append(&g).unwrap());
        assert_eq!(mode(&g), 0o600);
        touch(&f).unwrap();
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            "one",
            "touch keeps what is there"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn what_is_open_is_tightened_and_said_once() {
        let d = fresh("tighten");
        std::fs::create_dir_all(d.join("created/names")).unwrap();
        for (p, m) in [
            ("history.db", 0o644),
            ("created/x", 0o640),
            ("views.json", 0o600),
        ] {
            std::fs::write(d.join(p), "x").unwrap();
            std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(m)).unwrap();
        }
        for p in ["", "created", "created/names"] {
            std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::os::unix::fs::symlink("/etc/hostname", d.join("link")).unwrap();
        let done = tighten(&d);
        assert_eq!(
            done.changed,
            vec![
                (d.clone(), 0o755),
                (d.join("created"), 0o755),
                (d.join("created/names"), 0o755),
                (d.join("created/x"), 0o640),
                (d.join("history.db"), 0o644),
            ]
        );
        assert!(done.refused.is_empty(), "{:?}", done.refused);
        assert_eq!(mode(&d.join("history.db")), 0o600);
        assert_eq!(mode(&d.join("created")), 0o700);
        let line = done.said().unwrap();
        assert!(
            line.contains("5 entries made private")
                && line.contains(": . was 755, created was 755"),
            "{line}"
        );
        assert!(line.contains("and 1 more"), "{line}");
        assert_eq!(done.warning(), None);
        let refused = Tightened {
            dir: d.clone(),
            changed: Vec::new(),
            refused: vec![(d.join("history.db"), "Operation not permitted".into())],
        };
        assert_eq!(
            refused.warning().unwrap(),
            format!(
                "{} is open to other users and 1 entry could not be made private: history.db (Operation not permitted)",
                d.display()
            )
        );
        assert_eq!(refused.said(), None);
        let again = tighten(&d);
        assert!(
            again.changed.is_empty() && again.refused.is_empty(),
            "nothing left: {again:?}"
        );
        let missing = tighten(&d.join("missing"));
        assert!(missing.changed.is_empty() && missing.refused.is_empty());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
