//! A ratatui buffer as an SVG picture of a terminal window: the README's
//! screenshot is drawn from a real frame (`cargo run --example screenshot`),
//! so the picture follows the UI and a test can tell when it is stale.
//!
//! Pure and deterministic: the same buffer always gives the same bytes. The
//! text sits on the cell grid: each run of equal style starts at its column
//! and is stretched to its cells with `textLength`, so columns line up
//! whatever monospace font the viewer falls back to. Colours are resolved
//! here, against a fixed xterm palette, because an SVG cannot ask a
//! terminal what its "red" is.

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::style::{Color, Modifier};
use std::fmt::{self, Write};

/// A cell in pixels. Integers keep the numbers in the file short and exact;
/// 9 px is the advance of the common monospace fonts at 15 px (0.6 em).
const CELL_W: u32 = 9;
const CELL_H: u32 = 18;
const FONT_SIZE: u32 = 15;
/// From a cell's top to the baseline of its text.
const BASELINE: u32 = 14;
/// The window around the grid: a title bar, then a margin on every side.
const TITLE_BAR: u32 = 28;
const PAD: u32 = 10;
const FONT: &str = "ui-monospace, 'DejaVu Sans Mono', Menlo, monospace";

/// A colour as the picture writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The terminal's own colours (`Color::Reset`): 256-colour 252 on 234.
const DEFAULT_FG: Rgb = Rgb(0xd0, 0xd0, 0xd0);
const DEFAULT_BG: Rgb = Rgb(0x1c, 0x1c, 0x1c);

/// xterm's sixteen colours, in ANSI order (black, red … white, then bright).
const PALETTE: [Rgb; 16] = [
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xcd, 0x00, 0x00),
    Rgb(0x00, 0xcd, 0x00),
    Rgb(0xcd, 0xcd, 0x00),
    Rgb(0x00, 0x00, 0xee),
    Rgb(0xcd, 0x00, 0xcd),
    Rgb(0x00, 0xcd, 0xcd),
    Rgb(0xe5, 0xe5, 0xe5),
    Rgb(0x7f, 0x7f, 0x7f),
    Rgb(0xff, 0x00, 0x00),
    Rgb(0x00, 0xff, 0x00),
    Rgb(0xff, 0xff, 0x00),
    Rgb(0x5c, 0x5c, 0xff),
    Rgb(0xff, 0x00, 0xff),
    Rgb(0x00, 0xff, 0xff),
    Rgb(0xff, 0xff, 0xff),
];

/// A ratatui colour in the picture; `Reset` is `default` (the terminal's
/// foreground or background, depending on where it is used).
fn rgb(color: Color, default: Rgb) -> Rgb {
    let named = |i: usize| PALETTE[i];
    match color {
        Color::Reset => default,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Indexed(i) => indexed(i),
    }
}

/// The 256-colour table: the sixteen, a 6×6×6 cube, then 24 greys.
fn indexed(i: u8) -> Rgb {
    match i {
        0..=15 => PALETTE[usize::from(i)],
        16..=231 => {
            let n = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            Rgb(level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        232..=255 => {
            let g = 8 + 10 * (i - 232);
            Rgb(g, g, g)
        }
    }
}

/// How a cell's text looks once reversal and `Reset` are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    fg: Rgb,
    bold: bool,
    italic: bool,
    underline: bool,
    crossed: bool,
    dim: bool,
}

impl Look {
    fn css(&self) -> String {
        let mut css = format!("fill:{}", self.fg);
        if self.bold {
            css.push_str(";font-weight:bold");
        }
        if self.italic {
            css.push_str(";font-style:italic");
        }
        let lines: Vec<&str> = [
            (self.underline, "underline"),
            (self.crossed, "line-through"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if !lines.is_empty() {
            let _ = write!(css, ";text-decoration:{}", lines.join(" "));
        }
        if self.dim {
            css.push_str(";fill-opacity:0.6");
        }
        css
    }
}

/// One drawn cell: a wide symbol covers `width` columns, its continuation
/// cells are not glyphs of their own.
struct Glyph<'a> {
    col: u32,
    width: u32,
    symbol: &'a str,
    /// None: nothing to draw (hidden, or a cell another program paints).
    look: Option<Look>,
    bg: Rgb,
}

fn glyph(col: u32, cell: &Cell) -> Glyph<'_> {
    let mut fg = rgb(cell.fg, DEFAULT_FG);
    let mut bg = rgb(cell.bg, DEFAULT_BG);
    let m = cell.modifier;
    if m.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    let skipped = cell.diff_option == CellDiffOption::Skip;
    let look = (!skipped && !m.contains(Modifier::HIDDEN)).then_some(Look {
        fg,
        bold: m.contains(Modifier::BOLD),
        italic: m.contains(Modifier::ITALIC),
        underline: m.contains(Modifier::UNDERLINED),
        crossed: m.contains(Modifier::CROSSED_OUT),
        dim: m.contains(Modifier::DIM),
    });
    Glyph {
        col,
        width: u32::from(width(cell)),
        symbol: if skipped || cell.symbol().is_empty() {
            " "
        } else {
            cell.symbol()
        },
        look,
        bg,
    }
}

/// Columns a cell covers, at least one. A single byte is one column without
/// asking ratatui, which asserts that it is not a control character: a
/// buffer written with `set_symbol` may hold one, and it is drawn as U+FFFD.
fn width(cell: &Cell) -> u16 {
    match cell.diff_option {
        CellDiffOption::ForcedWidth(w) => w.get(),
        _ if cell.symbol().len() == 1 => 1,
        _ => cell.cell_width().max(1),
    }
}

/// A line's glyphs, left to right, continuation cells of wide symbols left out.
fn glyphs(buf: &Buffer, row: u16) -> Vec<Glyph<'_>> {
    let area = buf.area;
    let mut out = Vec::new();
    let mut x = 0;
    while x < area.width {
        let g = glyph(u32::from(x), &buf[(area.x + x, area.y + row)]);
        // A wide symbol at the right edge is cut at the edge.
        x = x.saturating_add(u16::try_from(g.width).unwrap_or(u16::MAX));
        out.push(g);
    }
    out
}

/// Consecutive glyphs for which `key` is equal: (first, past the last).
fn runs<K: PartialEq>(glyphs: &[Glyph], key: impl Fn(&Glyph) -> K) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        match out.last_mut() {
            Some((start, end)) if key(&glyphs[*start]) == key(g) => *end = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// Text for an XML document: markup characters as entities, and characters
/// XML 1.0 forbids (control characters) as U+FFFD, which shows as a mark.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// The class of each distinct look, numbered in order of first use so the
/// output is the same every time.
#[derive(Default)]
struct Classes(Vec<Look>);

impl Classes {
    fn of(&mut self, look: Look) -> usize {
        if let Some(i) = self.0.iter().position(|l| *l == look) {
            return i;
        }
        self.0.push(look);
        self.0.len() - 1
    }
}

/// The background rectangles and the text of one line.
fn line(buf: &Buffer, row: u16, classes: &mut Classes, out: &mut String) {
    let glyphs = glyphs(buf, row);
    let top = u32::from(row) * CELL_H;
    for (a, b) in runs(&glyphs, |g| g.bg) {
        let bg = glyphs[a].bg;
        if bg == DEFAULT_BG {
            continue;
        }
        let cells = glyphs[b - 1].col + glyphs[b - 1].width - glyphs[a].col;
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{top}" width="{}" height="{CELL_H}" fill="{bg}"/>"#,
            glyphs[a].col * CELL_W,
            cells * CELL_W,
        );
    }
    let mut text = String::new();
    for (a, b) in runs(&glyphs, |g| g.look) {
        let Some(look) = glyphs[a].look else {
            continue;
        };
        let mut run = &glyphs[a..b];
        // Spaces at either end draw nothing unless a line runs through them.
        if !look.underline && !look.crossed {
            let blank = |g: &Glyph| g.symbol.trim().is_empty();
            while run.first().is_some_and(blank) {
                run = &run[1..];
            }
            while run.last().is_some_and(blank) {
                run = &run[..run.len() - 1];
            }
            if run.is_empty() {
                continue;
            }
        }
        let cells = run[run.len() - 1].col + run[run.len() - 1].width - run[0].col;
        let _ = write!(
            text,
            r#"<tspan x="{}" textLength="{}" class="s{}">"#,
            run[0].col * CELL_W,
            cells * CELL_W,
            classes.of(look),
        );
        for g in run {
            escape(g.symbol, &mut text);
        }
        text.push_str("</tspan>");
    }
    if !text.is_empty() {
        let _ = writeln!(out, r#"<text y="{}">{text}</text>"#, top + BASELINE);
    }
}

/// The whole buffer as a terminal window titled `title`: the grid at one
/// cell per `CELL_W`×`CELL_H` pixels, inside a title bar and a margin.
pub fn buffer_to_svg(buf: &Buffer, title: &str) -> String {
    let (cols, rows) = (u32::from(buf.area.width), u32::from(buf.area.height));
    let width = cols * CELL_W + 2 * PAD;
    let height = TITLE_BAR + rows * CELL_H + 2 * PAD;
    let mut classes = Classes::default();
    let mut grid = String::new();
    for row in 0..buf.area.height {
        line(buf, row, &mut classes, &mut grid);
    }
    let mut name = String::new();
    escape(title, &mut name);

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{name}" xml:space="preserve">"#
    );
    let _ = writeln!(out, "<title>{name}</title>");
    out.push_str("<style>\n");
    let _ = writeln!(
        out,
        "text {{ font-family: {FONT}; font-size: {FONT_SIZE}px; white-space: pre; }}"
    );
    out.push_str(".title { fill: #9a9a9a; font-size: 13px; }\n");
    for (i, look) in classes.0.iter().enumerate() {
        let _ = writeln!(out, ".s{i} {{ {} }}", look.css());
    }
    out.push_str("</style>\n");
    // The window: its background is the terminal's, the title bar lighter.
    let _ = writeln!(
        out,
        r#"<rect width="{width}" height="{height}" rx="8" fill="{DEFAULT_BG}"/>"#
    );
    let _ = writeln!(
        out,
        r##"<path d="M0 8a8 8 0 0 1 8-8h{}a8 8 0 0 1 8 8v{}h-{width}z" fill="#2e2e2e"/>"##,
        width - 16,
        TITLE_BAR - 8,
    );
    for (i, colour) in ["#ff5f57", "#febc2e", "#28c840"].iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<circle cx="{}" cy="{}" r="6" fill="{colour}"/>"#,
            18 + 20 * i,
            TITLE_BAR / 2,
        );
    }
    let _ = writeln!(
        out,
        r#"<text class="title" x="{}" y="{}" text-anchor="middle">{name}</text>"#,
        width / 2,
        TITLE_BAR / 2 + 4,
    );
    // The grid, in cell coordinates from its top left corner.
    let _ = writeln!(
        out,
        r#"<g transform="translate({PAD} {})" shape-rendering="crispEdges">"#,
        TITLE_BAR + PAD,
    );
    out.push_str(&grid);
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn buffer(width: u16, height: u16) -> Buffer {
        Buffer::empty(Rect::new(0, 0, width, height))
    }

    #[test]
    fn markup_and_control_characters_are_escaped() {
        let mut buf = buffer(20, 1);
        buf.set_string(0, 0, "<a & 'b'>\"", Style::new());
        buf[(12, 0)].set_symbol("\u{1b}");
        let svg = buffer_to_svg(&buf, "a < b & \"c\"");
        assert!(svg.contains("&lt;a &amp; &apos;b&apos;&gt;&quot;"), "{svg}");
        assert!(svg.contains("\u{fffd}") && !svg.contains('\u{1b}'), "{svg}");
        assert!(svg.contains("<title>a &lt; b &amp; &quot;c&quot;</title>"));
        assert!(!svg.contains("<a "), "{svg}");
    }

    #[test]
    fn a_line_of_one_style_is_one_element() {
        let mut buf = buffer(80, 2);
        let style = Style::new().fg(Color::Green).bg(Color::Blue);
        buf.set_string(0, 0, "x".repeat(80), style);
        let svg = buffer_to_svg(&buf, "t");
        assert_eq!(svg.matches("<tspan").count(), 1, "{svg}");
        assert!(svg.contains(r#"<tspan x="0" textLength="720" class="s0">"#));
        // One background rectangle for the line, none for the blank one.
        let rects: Vec<&str> = svg.lines().filter(|l| l.starts_with("<rect x=")).collect();
        assert_eq!(
            rects,
            [r##"<rect x="0" y="0" width="720" height="18" fill="#0000ee"/>"##]
        );
        // The blank line writes no text at all.
        assert_eq!(svg.matches("<text y=").count(), 1);
    }

    #[test]
    fn runs_split_where_the_style_changes() {
        let mut buf = buffer(10, 1);
        buf.set_string(0, 0, "abc", Style::new().fg(Color::Red));
        buf.set_string(3, 0, "def", Style::new().fg(Color::Red).bold());
        buf.set_string(6, 0, "ghi", Style::new().fg(Color::Red));
        let svg = buffer_to_svg(&buf, "t");
        assert!(svg.contains(
            r#"<text y="14"><tspan x="0" textLength="27" class="s0">abc</tspan><tspan x="27" textLength="27" class="s1">def</tspan><tspan x="54" textLength="27" class="s0">ghi</tspan></text>"#
        ), "{svg}");
        assert!(svg.contains(".s0 { fill:#cd0000 }"), "{svg}");
        assert!(
            svg.contains(".s1 { fill:#cd0000;font-weight:bold }"),
            "{svg}"
        );
    }

    #[test]
    fn colours_map_to_the_palette_the_cube_and_the_greys() {
        assert_eq!(rgb(Color::Reset, DEFAULT_FG), DEFAULT_FG);
        assert_eq!(rgb(Color::Reset, DEFAULT_BG), DEFAULT_BG);
        assert_eq!(rgb(Color::Red, DEFAULT_FG), Rgb(0xcd, 0, 0));
        assert_eq!(rgb(Color::DarkGray, DEFAULT_FG), Rgb(0x7f, 0x7f, 0x7f));
        assert_eq!(rgb(Color::White, DEFAULT_FG), Rgb(0xff, 0xff, 0xff));
        assert_eq!(rgb(Color::Rgb(1, 2, 3), DEFAULT_FG), Rgb(1, 2, 3));
        assert_eq!(rgb(Color::Indexed(1), DEFAULT_FG), Rgb(0xcd, 0, 0));
        assert_eq!(rgb(Color::Indexed(16), DEFAULT_FG), Rgb(0, 0, 0));
        assert_eq!(rgb(Color::Indexed(196), DEFAULT_FG), Rgb(0xff, 0, 0));
        assert_eq!(rgb(Color::Indexed(208), DEFAULT_FG), Rgb(0xff, 0x87, 0));
        assert_eq!(rgb(Color::Indexed(231), DEFAULT_FG), Rgb(0xff, 0xff, 0xff));
        assert_eq!(rgb(Color::Indexed(232), DEFAULT_FG), Rgb(8, 8, 8));
        assert_eq!(rgb(Color::Indexed(244), DEFAULT_FG), Rgb(0x80, 0x80, 0x80));
        assert_eq!(rgb(Color::Indexed(255), DEFAULT_FG), Rgb(0xee, 0xee, 0xee));
        assert_eq!(Rgb(0x3c, 0x32, 0).to_string(), "#3c3200");
    }

    #[test]
    fn a_reversed_cell_swaps_foreground_and_background() {
        let mut buf = buffer(4, 1);
        buf.set_string(0, 0, "ab", Style::new().fg(Color::Red).reversed());
        let svg = buffer_to_svg(&buf, "t");
        // The background is the red, the text the terminal's background.
        assert!(svg.contains(r##"<rect x="0" y="0" width="18" height="18" fill="#cd0000"/>"##));
        assert!(svg.contains(".s0 { fill:#1c1c1c }"), "{svg}");
    }

    #[test]
    fn modifiers_show() {
        let mut buf = buffer(4, 1);
        let s = Style::new()
            .italic()
            .underlined()
            .crossed_out()
            .dim()
            .fg(Color::Indexed(244));
        buf.set_string(0, 0, " ", s);
        buf.set_string(2, 0, "h", Style::new().hidden());
        let svg = buffer_to_svg(&buf, "t");
        assert!(svg.contains(
            ".s0 { fill:#808080;font-style:italic;text-decoration:underline line-through;fill-opacity:0.6 }"
        ), "{svg}");
        // An underlined space is drawn; a hidden letter is not.
        assert_eq!(svg.matches("<tspan").count(), 1, "{svg}");
        assert!(!svg.contains(">h<"));
    }

    #[test]
    fn wide_symbols_take_two_cells_and_their_continuation_none() {
        let mut buf = buffer(8, 1);
        buf.set_string(0, 0, "日本", Style::new().fg(Color::Cyan));
        buf.set_string(4, 0, "◐✔✘", Style::new().fg(Color::Yellow));
        let svg = buffer_to_svg(&buf, "t");
        assert!(
            svg.contains(r#"<tspan x="0" textLength="36" class="s0">日本</tspan>"#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<tspan x="36" textLength="27" class="s1">◐✔✘</tspan>"#),
            "{svg}"
        );
    }

    #[test]
    fn the_picture_is_as_large_as_the_grid_and_its_window() {
        let svg = buffer_to_svg(&buffer(120, 36), "t");
        let (w, h) = (120 * 9 + 20, 28 + 36 * 18 + 20);
        assert!(svg.starts_with(&format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}""#
        )));
        assert!(svg.ends_with("</g>\n</svg>\n"));
        assert_eq!(svg, buffer_to_svg(&buffer(120, 36), "t"), "deterministic");
    }

    #[test]
    fn a_buffer_not_at_the_origin_is_drawn_from_its_corner() {
        let mut buf = Buffer::empty(Rect::new(5, 3, 4, 2));
        buf.set_string(5, 4, "ok", Style::new());
        let svg = buffer_to_svg(&buf, "t");
        assert!(
            svg.contains(r#"<text y="32"><tspan x="0" textLength="18" class="s0">ok</tspan>"#),
            "{svg}"
        );
    }
}
