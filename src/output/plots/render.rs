//! Drawing a [`Figure`] with plotters, as SVG text or PNG bytes.
//!
//! Text is laid out with the DejaVu Sans font compiled into the binary (`assets/fonts/`, Bitstream
//! Vera licence), so no system font library is needed; the SVG names `sans-serif` and the viewer
//! draws it with its own font. Both outputs depend only on the figure: the same results give
//! byte-identical files.

use super::{Figure, Panel};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, DefaultFormatting, KeyPointHint, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::sync::Once;

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`).
const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Okabe–Ito colours (readable with every common colour-vision deficiency), then a hue wheel.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(140, 140, 140),
];

/// Colour number `i` of a figure.
pub fn colour(i: usize) -> RGBColor {
    if i < PALETTE.len() {
        return PALETTE[i];
    }
    // Golden-angle hues, fixed lightness: distinct and deterministic.
    let h = ((i - PALETTE.len()) as f64 * 0.381_966) % 1.0;
    let (r, g, b) = HSLColor(h, 0.65, 0.42).rgb();
    RGBColor(r, g, b)
}

pub(super) fn register_font() {
    static ONCE: Once = Once::new();
    // The font is compiled in and valid; a failure would only lose the text, never panic.
    ONCE.call_once(|| _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT));
}

type Drawn = Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Smallest and largest finite value, widened by `pad` of the span on each side (a constant gets
/// ±`flat`).
fn span(values: impl Iterator<Item = f64>, pad: f64, flat: f64) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 * lo.abs().max(1.0) {
        return (lo - flat, hi + flat);
    }
    let p = (hi - lo) * pad;
    (lo - p, hi + p)
}

fn draw_figure<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, figure: &Figure) -> Drawn {
    register_font();
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = figure.size;
    let title = ("sans-serif", 24).into_font().color(&BLACK);
    root.draw_text(&figure.title, &title, (16, 10)).map_err(err)?;
    let subtitle = ("sans-serif", 15).into_font().color(&RGBColor(90, 90, 90));
    root.draw_text(&figure.subtitle, &subtitle, (16, 42)).map_err(err)?;
    let legend_h = 16 + 24 * figure.legend_rows();
    let (_, body) = root.split_vertically(68);
    let (plots, legend) = body.split_vertically(body.dim_in_pixel().1 - legend_h);
    let rows = figure.panels.len().div_ceil(figure.columns);
    let areas = plots.split_evenly((rows, figure.columns));
    // One caption size for all the small multiples: the size the longest title fits at.
    let width = areas.iter().map(|a| a.dim_in_pixel().0).min().unwrap_or(w);
    let caption_px = figure
        .panels
        .iter()
        .filter(|p| !p.series.is_empty())
        .map(|p| caption_size(&p.title, width))
        .fold(CAPTION_PX, f64::min);
    for (area, panel) in areas.iter().zip(&figure.panels) {
        if panel.series.is_empty() {
            // A blank cell of small multiples.
            continue;
        }
        let xs = panel.series.iter().flat_map(|s| s.x.iter().copied());
        let points = panel.series.iter().any(|s| s.points);
        let (x0, x1) = match (panel.log_x, panel.integer_x && points) {
            (true, _) => {
                let (lo, hi) = span(xs, 0.0, 0.0);
                (lo / 1.15, hi * 1.15)
            }
            // Whole years (dodged a little): half a year either side of the first and last.
            (false, true) => {
                let (lo, hi) = span(xs, 0.0, 0.5);
                (lo.round() - 0.5, hi.round() + 0.5)
            }
            _ => span(xs, if points { 0.08 } else { 0.0 }, 0.5),
        };
        // The range covers what is drawn: the means, and the intervals where they are drawn.
        let intervals = points || bands(panel);
        let ys = panel.series.iter().flat_map(|s| {
            let (lo, hi) = if intervals { (&s.lo[..], &s.hi[..]) } else { (&[][..], &[][..]) };
            s.mean.iter().chain(lo).chain(hi).copied()
        });
        let ys: Vec<f64> = match panel.y_range {
            Some((lo, hi)) => vec![lo, hi],
            None => ys.collect(),
        };
        let (y0, y1) = span(ys.into_iter(), 0.05, 1.0);
        if panel.log_x {
            // A log axis is labelled at the swept values themselves, not at powers of ten.
            let mut at: Vec<f64> =
                panel.series.iter().flat_map(|s| s.x.iter().copied()).filter(|x| x.is_finite()).collect();
            at.sort_by(f64::total_cmp);
            at.dedup();
            draw_panel(area, panel, caption_px, (x0..x1).log_scale().with_key_points(at), y0..y1)?;
        } else if !panel.x_ticks.is_empty() {
            let at = panel.x_ticks.iter().map(|t| t.0).collect();
            draw_panel(area, panel, caption_px, Named { inner: (x0..x1).into(), at }, y0..y1)?;
        } else {
            draw_panel(area, panel, caption_px, x0..x1, y0..y1)?;
        }
    }
    let per_row = (w / figure.legend_width()).max(1) as usize;
    let font = ("sans-serif", 15).into_font().color(&BLACK);
    for (k, (label, c, dashed)) in figure.legend.iter().enumerate() {
        let x = 20 + (k % per_row) as i32 * figure.legend_width() as i32;
        let y = 4 + (k / per_row) as i32 * 24;
        let style = colour(*c).stroke_width(3);
        let segment = if *dashed { vec![(x, y + 8), (x + 10, y + 8)] } else { vec![(x, y + 8), (x + 28, y + 8)] };
        legend.draw(&PathElement::new(segment, style)).map_err(err)?;
        if *dashed {
            legend.draw(&PathElement::new(vec![(x + 18, y + 8), (x + 28, y + 8)], style)).map_err(err)?;
        }
        legend.draw_text(label, &font, (x + 36, y)).map_err(err)?;
    }
    root.present().map_err(err)
}

/// A linear axis ticked at the given points alone (a trial's arms, which the panel names).
struct Named {
    inner: RangedCoordf64,
    at: Vec<f64>,
}

impl Ranged for Named {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.at.clone() }
    }
}

/// Whether the panel's curves get their bands: at most [`MAX_BANDS`](super::MAX_BANDS) of them
/// besides the faint one behind (figures over time never have more).
fn bands(panel: &Panel) -> bool {
    panel.series.iter().filter(|s| !s.faint).count() <= super::MAX_BANDS
}

/// The grey of the curve drawn faintly behind the others.
const FAINT: RGBColor = RGBColor(150, 150, 150);
/// Opacity of a band, of the faint curve's band, and of a shaded window.
const BAND_ALPHA: f64 = 0.16;
const FAINT_BAND_ALPHA: f64 = 0.12;
const WINDOW_ALPHA: f64 = 0.07;
/// Height (share of the y range) and opacity of a window's stripe when several curves have some.
const STRIPE: f64 = 0.025;
const STRIPE_ALPHA: f64 = 0.6;
/// Font size of a named x tick (an arm): larger than a number's.
const NAMED_TICK: u32 = 16;
/// Radius (pixels) and opacity of a scatter marker (one per patient): overlaps stay visible.
const SCATTER_RADIUS: i32 = 4;
const SCATTER_ALPHA: f64 = 0.6;

fn draw_panel<DB: DrawingBackend, X>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    caption_px: f64,
    x: X,
    y: std::ops::Range<f64>,
) -> Drawn
where
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
{
    let caption = fit_caption(&panel.title, area.dim_in_pixel().0, caption_px);
    let mut chart = ChartBuilder::on(area)
        .caption(&caption, ("sans-serif", caption_px))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .label_style(("sans-serif", 13))
        .x_label_style(("sans-serif", if panel.x_ticks.is_empty() { 13 } else { NAMED_TICK }))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_label_formatter(&|x| match panel.x_ticks.iter().find(|t| (t.0 - x).abs() < 1e-9) {
            Some(named) => named.1.clone(),
            None => tick(*x, panel.integer_x),
        })
        .y_label_formatter(&|y| tick(*y, false))
        .draw()
        .map_err(err)?;
    let (x_axis, y_axis) = (chart.x_range(), chart.y_range());
    // One curve's windows wash the panel; several curves' are stripes along its foot, one each.
    let mut owners: Vec<usize> = panel.windows.iter().map(|w| w.2).collect();
    owners.dedup();
    let stripe = (y_axis.end - y_axis.start) * STRIPE;
    for &(a, b, c) in &panel.windows {
        let (a, b) = (a.max(x_axis.start), b.min(x_axis.end));
        let k = owners.iter().position(|&o| o == c).unwrap_or(0) as f64;
        let (y0, y1, alpha) = match owners.len() {
            1 => (y_axis.start, y_axis.end, WINDOW_ALPHA),
            _ => (y_axis.start + k * stripe, y_axis.start + (k + 1.0) * stripe, STRIPE_ALPHA),
        };
        if a < b {
            let shade = Rectangle::new([(a, y0), (b, y1)], colour(c).mix(alpha).filled());
            chart.draw_series(std::iter::once(shade)).map_err(err)?;
        }
    }
    let bands = bands(panel);
    for s in &panel.series {
        let c = if s.faint { FAINT } else { colour(s.colour) };
        let alpha = if s.faint { FAINT_BAND_ALPHA } else { BAND_ALPHA };
        let defined = |i: usize| s.x[i].is_finite() && s.mean[i].is_finite();
        let bounded = |i: usize| defined(i) && s.lo[i].is_finite() && s.hi[i].is_finite();
        if bands && !s.points {
            for run in segments(s.x.len(), bounded).into_iter().filter(|r| r.len() > 1) {
                let upper = run.iter().map(|&i| (s.x[i], s.hi[i]));
                let lower = run.iter().rev().map(|&i| (s.x[i], s.lo[i]));
                chart
                    .draw_series(std::iter::once(Polygon::new(upper.chain(lower).collect::<Vec<_>>(), c.mix(alpha))))
                    .map_err(err)?;
            }
        }
        for run in segments(s.x.len(), defined).into_iter().filter(|_| !(s.points && s.scatter)) {
            let line = run.iter().map(|&i| (s.x[i], s.mean[i]));
            if run.len() == 1 && !s.points {
                // A defined point between undefined ones: a dot, since a line needs two.
                chart.draw_series(line.map(|p| Circle::new(p, 2, c.filled()))).map_err(err)?;
            } else if s.dashed {
                chart.draw_series(DashedLineSeries::new(line, 8, 6, c.stroke_width(2))).map_err(err)?;
            } else {
                let width = if s.faint { 1 } else { 2 };
                chart.draw_series(LineSeries::new(line, c.stroke_width(width))).map_err(err)?;
            }
        }
        if s.points {
            let idx: Vec<usize> = (0..s.x.len()).filter(|&i| defined(i)).collect();
            for &i in idx.iter().filter(|&&i| bounded(i)) {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(s.x[i], s.lo[i]), (s.x[i], s.hi[i])],
                        c.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            let (marker, radius) = match (s.scatter, s.dashed) {
                (true, _) => (c.mix(SCATTER_ALPHA).filled(), SCATTER_RADIUS),
                (false, true) => (c.stroke_width(2), 5),
                (false, false) => (c.filled(), 5),
            };
            chart.draw_series(idx.iter().map(|&i| Circle::new((s.x[i], s.mean[i]), radius, marker))).map_err(err)?;
        }
    }
    Ok(())
}

/// The runs of consecutive indices below `len` at which `ok` holds: a curve is drawn run by run,
/// so an undefined point (a mean over no cells) is a gap, never joined across.
fn segments(len: usize, ok: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for i in (0..len).filter(|&i| ok(i)) {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&last| last + 1 == i) => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    runs
}

/// A tick label: whole numbers only on an integer axis, otherwise the shortest of a few digits.
fn tick(x: f64, integer: bool) -> String {
    if integer {
        return if (x - x.round()).abs() < 1e-9 { format!("{}", x.round()) } else { String::new() };
    }
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The figure as an SVG document.
pub fn svg(figure: &Figure) -> Result<String, String> {
    let mut text = String::new();
    draw_figure(SVGBackend::with_string(&mut text, figure.size).into_drawing_area(), figure)?;
    Ok(text)
}

/// The figure as an SVG document that also holds the data it is drawn from, as CSV in two
/// `<metadata>` elements after the opening tag: `bmu-sim-data`
/// (`panel,metric,series,faint,x,mean,lo,hi`, a row per point, an undefined value empty) and
/// `bmu-sim-windows` (`panel,series,start,end`, a row per shaded window; x in the panel's units).
pub fn svg_with_data(figure: &Figure) -> Result<String, String> {
    Ok(with_data(figure, svg(figure)?))
}

/// [`svg`]'s `text` of `figure` with the data it is drawn from ([`svg_with_data`]).
pub fn with_data(figure: &Figure, text: String) -> String {
    let Some(open) = text.find("<svg").and_then(|at| text[at..].find('>').map(|end| at + end + 1)) else {
        return text;
    };
    let number = |x: f64| if x.is_finite() { format!("{x}") } else { String::new() };
    let mut data = String::from("\n<metadata id=\"bmu-sim-data\">\npanel,metric,series,faint,x,mean,lo,hi\n");
    let mut windows = String::from("<metadata id=\"bmu-sim-windows\">\npanel,series,start,end\n");
    for (p, panel) in figure.panels.iter().enumerate() {
        for s in &panel.series {
            let label = super::super::html::escape(&s.label);
            for i in 0..s.x.len() {
                let values = [s.x[i], s.mean[i], s.lo[i], s.hi[i]].map(number).join(",");
                data += &format!("{p},{},{label},{},{values}\n", panel.metric, s.faint);
            }
        }
        for &(a, b, c) in &panel.windows {
            let owner = panel.series.iter().find(|s| s.colour == c && !s.faint).map_or("", |s| s.label.as_str());
            windows += &format!("{p},{},{},{}\n", super::super::html::escape(owner), number(a), number(b));
        }
    }
    format!("{}{data}</metadata>\n{windows}</metadata>{}", &text[..open], &text[open..])
}

/// The figure as a PNG image (8-bit RGB).
pub fn png(figure: &Figure) -> Result<Vec<u8>, String> {
    let (w, h) = figure.size;
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    draw_figure(BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area(), figure)?;
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // zlib's default level: smaller than `Best` here (170 against 171 kB for a run's four
    // figures) at 0.6 of its instructions.
    encoder.set_compression(png::Compression::Default);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&pixels).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(bytes)
}

/// Caption font sizes: the usual, and the smallest a long title may shrink to.
const CAPTION_PX: f64 = 18.0;
const CAPTION_MIN_PX: f64 = 11.0;
/// A sans-serif glyph's mean advance, in font sizes.
const GLYPH_WIDTH: f64 = 0.55;

/// The width of a caption's row, in pixels of its panel's width.
const CAPTION_ROOM: f64 = 0.95;

/// The font size at which `title` fits `width` pixels: shrunk from [`CAPTION_PX`] down to
/// [`CAPTION_MIN_PX`], no further.
fn caption_size(title: &str, width: u32) -> f64 {
    let chars = title.chars().count().max(1) as f64;
    (f64::from(width) * CAPTION_ROOM / (GLYPH_WIDTH * chars)).clamp(CAPTION_MIN_PX, CAPTION_PX)
}

/// `title` cut with an ellipsis where it would not fit `width` pixels at `size`, so no caption
/// runs into its neighbour's.
fn fit_caption(title: &str, width: u32, size: f64) -> String {
    let fits = (f64::from(width) * CAPTION_ROOM / (GLYPH_WIDTH * size)) as usize;
    if title.chars().count() <= fits {
        return title.to_string();
    }
    let cut: String = title.chars().take(fits.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::super::{Figure, Panel, Series};
    use super::*;

    #[test]
    fn an_undefined_point_splits_a_curve() {
        let ok = |i: usize| ![0, 3, 4].contains(&i);
        assert_eq!(segments(8, ok), [vec![1, 2], vec![5, 6, 7]]);
        assert_eq!(segments(3, |_| false), Vec::<Vec<usize>>::new());
        assert_eq!(segments(3, |i| i != 1), [vec![0], vec![2]]);
    }

    #[test]
    fn no_line_is_drawn_to_or_from_an_undefined_day() {
        let nan = f64::NAN;
        // Day 0 undefined, then two defined runs around a gap.
        let mean = vec![nan, 1.0, 2.0, nan, 3.0, 4.0];
        let series = Series {
            x: (0..6).map(f64::from).collect(),
            lo: mean.clone(),
            hi: mean.clone(),
            mean,
            ..Series::default()
        };
        let panel = Panel { series: vec![series], ..Panel::default() };
        let figure = Figure { stem: "t", panels: vec![panel], columns: 1, size: (400, 300), ..Figure::default() };
        let text = svg(&figure).expect("svg");
        let blue = format!("#{:02X}{:02X}{:02X}", PALETTE[0].0, PALETTE[0].1, PALETTE[0].2);
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("<polyline") && l.contains(&blue)).collect();
        assert_eq!(lines.len(), 2, "one line per defined run: {lines:#?}");
        assert!(lines.iter().all(|l| l.matches(',').count() == 2), "two points each: {lines:#?}");
    }

    #[test]
    fn a_long_caption_shrinks_then_is_cut_to_its_panel() {
        assert_eq!(caption_size("CTX: placebo", 300), CAPTION_PX);
        assert_eq!(fit_caption("CTX: placebo", 300, CAPTION_PX), "CTX: placebo");
        let long = "spine BMD vs placebo: romosozumab_then_alendronate";
        let size = caption_size(long, 300);
        assert!((CAPTION_MIN_PX..CAPTION_PX).contains(&size), "{size}");
        let text = fit_caption(long, 300, size);
        assert!(GLYPH_WIDTH * size * text.chars().count() as f64 <= 300.0, "{text} at {size}");
        let size = caption_size(&"x".repeat(200), 300);
        assert_eq!(size, CAPTION_MIN_PX);
        let cut = fit_caption(&"x".repeat(200), 300, size);
        assert!(cut.ends_with('…') && GLYPH_WIDTH * size * cut.chars().count() as f64 <= 300.0, "{cut}");
    }

    #[test]
    fn small_multiples_share_one_caption_size() {
        let panel = |title: &str| Panel {
            title: title.to_string(),
            series: vec![Series {
                x: vec![0.0, 1.0],
                mean: vec![1.0, 2.0],
                lo: vec![1.0, 2.0],
                hi: vec![1.0, 2.0],
                ..Series::default()
            }],
            ..Panel::default()
        };
        let titles = ["short", "a rather longer title that has to shrink to fit its panel"];
        let figure =
            Figure { stem: "t", panels: titles.map(panel).to_vec(), columns: 2, size: (800, 300), ..Figure::default() };
        let text = svg(&figure).expect("svg");
        // plotters writes `<text … font-size="S" …>`, the text, and `</text>` on three lines.
        let lines: Vec<&str> = text.lines().collect();
        let size_of = |title: &str| {
            let at = lines.iter().position(|l| l.trim() == title).expect(title);
            let tag = lines[at - 1];
            tag.split("font-size=\"").nth(1).and_then(|r| r.split('"').next()).expect("a font size").to_string()
        };
        let sizes = titles.map(size_of);
        assert_eq!(sizes[0], sizes[1]);
        assert_ne!(sizes[0].parse::<f64>().ok(), Some(CAPTION_PX), "the long title shrank both");
    }

    #[test]
    fn a_per_year_axis_runs_half_a_year_either_side_of_its_first_and_last_year() {
        let series = Series {
            x: vec![0.9, 1.1, 9.9, 10.1],
            mean: vec![55.0; 4],
            lo: vec![50.0; 4],
            hi: vec![60.0; 4],
            points: true,
            ..Series::default()
        };
        let panel = Panel { integer_x: true, series: vec![series], ..Panel::default() };
        let figure = Figure { stem: "t", panels: vec![panel], columns: 1, size: (600, 300), ..Figure::default() };
        let text = svg(&figure).expect("svg");
        let labels: Vec<&str> = text.lines().map(str::trim).collect();
        assert!(labels.contains(&"1") && labels.contains(&"10"), "years 1 and 10 are labelled");
        assert!(!labels.contains(&"0") && !labels.contains(&"11"), "no empty year 0 or 11");
    }
}
