//! The README's picture is the frame the UI draws today.

#[path = "../examples/screenshot/scene.rs"]
mod scene;
#[path = "../examples/screenshot/svg.rs"]
mod svg;

#[test]
fn the_readme_screenshot_is_current() {
    let fresh = scene::svg();
    let committed = std::fs::read(scene::PATH).unwrap_or_default();
    assert!(
        committed == fresh.as_bytes(),
        "assets/screenshot.svg is stale: run `cargo run --example screenshot`"
    );
}
