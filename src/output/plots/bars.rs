//! Horizontal bar charts, one panel per group: a sensitivity analysis's μ* or ST per parameter
//! and output, with an interval whisker where there is one.

use super::render::{colour, register_font};
use plotters::prelude::*;

/// Pixels: the figure's width, the title band, and the height given to each bar.
const WIDTH: u32 = 900;
const TITLE_HEIGHT: u32 = 40;
const BAR_HEIGHT: u32 = 34;
/// Pixels above and below the bars of a panel (caption, axis).
const PANEL_FRAME: u32 = 90;

/// One panel: its caption and (label, value, interval) per bar.
#[derive(Clone, Debug, PartialEq)]
pub struct BarPanel {
    pub caption: String,
    pub x_label: String,
    pub bars: Vec<(String, f64, Option<(f64, f64)>)>,
}

/// The panels as an SVG document, stacked under `title`. Non-finite values are not drawn.
pub fn svg(title: &str, panels: &[BarPanel]) -> Result<String, String> {
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    register_font();
    let heights: Vec<u32> = panels.iter().map(|p| PANEL_FRAME + BAR_HEIGHT * p.bars.len() as u32).collect();
    let mut text = String::new();
    {
        let root =
            SVGBackend::with_string(&mut text, (WIDTH, TITLE_HEIGHT + heights.iter().sum::<u32>())).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        root.draw_text(title, &("sans-serif", 20).into_font().color(&BLACK), (16, 10)).map_err(|e| err(&e))?;
        let (_, mut rest) = root.split_vertically(TITLE_HEIGHT);
        for (panel, &h) in panels.iter().zip(&heights) {
            let (area, below) = rest.split_vertically(h);
            rest = below;
            draw(&area, panel).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(text)
}

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    panel: &BarPanel,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let finite = |x: &f64| x.is_finite();
    let ends = panel.bars.iter().flat_map(|(_, v, ci)| [Some(*v), ci.map(|c| c.0), ci.map(|c| c.1)]).flatten();
    let (lo, hi) = ends.filter(finite).fold((0.0f64, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    // An axis with nothing to show still needs a width.
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let n = panel.bars.len();
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.caption, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(260)
        .build_cartesian_2d(lo..hi, (0..n).into_segmented())?;
    let name = |y: &SegmentValue<usize>| match y {
        SegmentValue::CenterOf(i) => panel.bars.get(*i).map_or(String::new(), |b| b.0.clone()),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .label_style(("sans-serif", 13))
        .light_line_style(WHITE)
        .y_labels(n)
        .y_label_formatter(&name)
        .draw()?;
    for (i, (_, v, ci)) in panel.bars.iter().enumerate() {
        if v.is_finite() {
            let bar =
                Rectangle::new([(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))], colour(0).filled());
            chart.draw_series(std::iter::once(bar))?;
        }
        if let Some((a, b)) = ci.filter(|(a, b)| a.is_finite() && b.is_finite()) {
            let y = SegmentValue::CenterOf(i);
            let whisker = PathElement::new(vec![(a, y.clone()), (b, y)], BLACK.stroke_width(2));
            chart.draw_series(std::iter::once(whisker))?;
        }
    }
    Ok(())
}
