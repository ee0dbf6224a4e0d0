//! Writes the README's screenshot, `assets/screenshot.svg`, from a frame
//! the real UI draws (see `scene.rs`). Run it after changing how the
//! dashboard looks: `cargo run --example screenshot`. `tests/screenshot.rs`
//! fails while the committed picture differs from a fresh one.

mod scene;
mod svg;

fn main() -> std::io::Result<()> {
    std::fs::write(scene::PATH, scene::svg())?;
    println!("wrote {}", scene::PATH);
    Ok(())
}
