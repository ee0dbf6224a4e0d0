//! The built binary in a pseudo-terminal, its screen read back through a
//! VT100 parser: what a person at a terminal would see.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `pred`: a condition, not a sleep.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = self.text();
            if pred(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

pub struct Session {
    pub screen: Screen,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Held so the terminal stays open as long as the session.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// `args` at `cols`×`rows`, with `state` as the state directory, no
    /// copyjobs config of this machine's, and `env` added.
    pub fn start(args: &[&str], size: (u16, u16), state: &Path, env: &[(&str, &str)]) -> Session {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_copyjobs"));
        cmd.args(args);
        Session::spawn(cmd, size, state, env)
    }

    /// As [`Session::start`], started by `sh -c SCRIPT` (a umask, a folder
    /// to work in), which then becomes the binary.
    pub fn start_after(
        script: &str,
        args: &[&str],
        size: (u16, u16),
        state: &Path,
        env: &[(&str, &str)],
    ) -> Session {
        let mut cmd = CommandBuilder::new("sh");
        cmd.arg("-c");
        cmd.arg(format!("{script} && exec \"$0\" \"$@\""));
        cmd.arg(env!("CARGO_BIN_EXE_copyjobs"));
        cmd.args(args);
        Session::spawn(cmd, size, state, env)
    }

    fn spawn(
        mut cmd: CommandBuilder,
        (cols, rows): (u16, u16),
        state: &Path,
        env: &[(&str, &str)],
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        cmd.env("TZ", "UTC");
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", "/nonexistent/xdg");
        cmd.env_remove("COPYJOBS_CONFIG");
        cmd.env("XDG_STATE_HOME", state);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Screen {
            parser: Arc::new(Mutex::new(vt100::Parser::new(
                std::num::NonZeroU16::new(rows).unwrap(),
                std::num::NonZeroU16::new(cols).unwrap(),
                0,
            ))),
            raw: Arc::new(Mutex::new(Vec::new())),
        };
        let (parser, raw) = (screen.parser.clone(), screen.raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
                raw.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            screen,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Quits with q and checks the terminal was handed back: the alternate
    /// screen left after it was entered.
    pub fn quit(mut self) {
        self.send("q");
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "copyjobs did not exit after q");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "exit status {status:?}");
        let deadline = Instant::now() + Duration::from_secs(10);
        let out = loop {
            let out = String::from_utf8_lossy(&self.screen.raw.lock().unwrap()).to_string();
            if out.contains("\u{1b}[?1049l") || Instant::now() > deadline {
                break out;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let entered = out
            .find("\u{1b}[?1049h")
            .expect("entered the alternate screen");
        let left = out
            .rfind("\u{1b}[?1049l")
            .expect("left the alternate screen");
        assert!(left > entered);
    }
}
