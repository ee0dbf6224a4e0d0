//! OSC 52: the clipboard set through the terminal.

use base64::Engine;

/// OSC 52 sets the clipboard through the terminal, so copying works over
/// SSH with nothing installed on either side.
///
/// Inside tmux the sequence goes out twice: plain, which tmux takes itself
/// when `set-clipboard on` (the setting tmux's own documentation suggests
/// for this), and wrapped in tmux's DCS passthrough with every ESC doubled,
/// which reaches the outer terminal when `allow-passthrough on`. Either one
/// alone leaves the other configuration with an empty clipboard; when both
/// arrive, the clipboard is set twice to the same text.
pub fn osc52(text: &str, inside_tmux: bool) -> String {
    let seq = format!(
        "\u{1b}]52;c;{}\u{7}",
        base64::engine::general_purpose::STANDARD.encode(text)
    );
    if inside_tmux {
        let doubled = seq.replace('\u{1b}', "\u{1b}\u{1b}");
        format!("{seq}\u{1b}Ptmux;{doubled}\u{1b}\\")
    } else {
        seq
    }
}
