//! The tray icon's picture: the app's own icon, decoded once.

use tray_icon::Icon;

const PNG: &[u8] = include_bytes!("../../../../icons/64x64.png");

pub fn load() -> Result<Icon, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(PNG));
    decoder.set_transformations(
        png::Transformations::normalize_to_color8() | png::Transformations::ALPHA,
    );
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut rgba = vec![0; reader.output_buffer_size().ok_or("icon too large")?];
    let info = reader.next_frame(&mut rgba).map_err(|e| e.to_string())?;
    rgba.truncate(info.buffer_size());
    if info.color_type != png::ColorType::Rgba {
        return Err(format!(
            "the icon decodes to {:?}, not RGBA",
            info.color_type
        ));
    }
    Icon::from_rgba(rgba, info.width, info.height).map_err(|e| e.to_string())
}
