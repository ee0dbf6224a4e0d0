//! Whether a notification hook's program can be run, asked at start: a
//! program that is not there would otherwise be found missing only at the
//! first change, maybe hours later, when the notification it was for is lost.

use std::path::{Path, PathBuf};

/// Where `program` runs from: itself when it names a path (it has a `/`),
/// else the first directory of `PATH` holding an executable of that name,
/// as the hook's spawn will look for it.
pub fn find(program: &str) -> Result<PathBuf, String> {
    find_in(program, std::env::var_os("PATH").as_deref())
}

fn find_in(program: &str, path: Option<&std::ffi::OsStr>) -> Result<PathBuf, String> {
    let shown = crate::domain::query::echo(program);
    if program.contains('/') {
        let p = Path::new(program);
        return match std::fs::metadata(p) {
            Ok(m) if m.is_file() && executable(&m) => Ok(p.to_path_buf()),
            Ok(_) => Err(format!("`{shown}` is not an executable file")),
            Err(e) => Err(format!("`{shown}` cannot be run: {e}")),
        };
    }
    let found = path
        .into_iter()
        .flat_map(std::env::split_paths)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(program))
        .find(|candidate| {
            std::fs::metadata(candidate).is_ok_and(|m| m.is_file() && executable(&m))
        });
    found.ok_or_else(|| format!("`{shown}` was not found on PATH"))
}

#[cfg(unix)]
fn executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable(_: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_found_on_path_or_as_paths() {
        let dir = std::env::temp_dir().join(format!("copyjobs-program-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let hook = dir.join("hook");
        std::fs::write(&hook, "#!/bin/sh\n").unwrap();
        let plain = dir.join("plain");
        std::fs::write(&plain, "not a program").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
            std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let path = std::env::join_paths(["/nonexistent-dir", dir.to_str().unwrap()]).unwrap();
        assert_eq!(find_in("hook", Some(&path)), Ok(hook.clone()));
        assert_eq!(
            find_in("notfy-send", Some(&path)),
            Err("`notfy-send` was not found on PATH".into())
        );
        #[cfg(unix)]
        assert_eq!(
            find_in("plain", Some(&path)),
            Err("`plain` was not found on PATH".into()),
            "a file that cannot run is not the program"
        );
        assert_eq!(find_in(hook.to_str().unwrap(), None), Ok(hook.clone()));
        let missing = dir.join("missing");
        let e = find_in(missing.to_str().unwrap(), Some(&path)).unwrap_err();
        assert!(e.contains("cannot be run"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
