//! What a retry will send, field by field, and the same as an AWS CLI
//! command: nothing leaves before the user has seen it.

use super::theme;
use crate::app::confirm::ConfirmPane;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

const LABEL: &str = "              ";

pub fn draw(frame: &mut Frame, area: Rect, pane: &ConfirmPane) {
    let r = super::centered(area, 100, 20);
    frame.render_widget(Clear, r);
    let req = pane.current();
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {label:<13}"), theme::label()),
            Span::raw(clean(&value).into_owned()),
        ])
    };
    let tags = if req.tags.is_empty() {
        "none".to_string()
    } else {
        req.tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" CreateModelCopyJob in {}", req.region),
            theme::title(),
        )),
        Line::from(""),
        field("Source model", req.source_model_arn.clone()),
        field("Target name", req.target_model_name.clone()),
        field(
            "KMS key",
            req.kms_key_id
                .clone()
                .unwrap_or_else(|| "— (AWS owned key)".into()),
        ),
        field("Tags", tags),
        field("Retry of", pane.origin.clone()),
        Line::from(""),
        Line::from(Span::styled(" The same with the AWS CLI:", theme::dim())),
        Line::from(Span::raw(format!(
            " {}",
            clean(&crate::output::export::create_command(&req))
        ))),
    ];
    if let Some(e) = &pane.error {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(" ✘ {}", clean(e)),
            theme::error(),
        )));
    }
    let block = Block::bordered()
        .title(Span::styled(" retry this copy? ", theme::title()))
        .title_bottom(Span::styled(
            " Enter sends · type to change the name · Esc cancels ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        r,
    );
    // The cursor in the name, which is what can be typed.
    let x = inner.x + 1 + LABEL.len() as u16 - 1 + pane.name.visual_cursor() as u16;
    if x < inner.right() {
        frame.set_cursor_position(Position::new(x, inner.y + 3));
    }
}
