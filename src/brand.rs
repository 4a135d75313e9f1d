//! [ssr] The broker's colours: read from `brand_color` and
//! `brand_color_dark`, checked for WCAG 2.2 AA contrast in both colour
//! schemes, and delivered as CSS custom properties appended to the built
//! stylesheet (one hashed file made at start: `http::assets::MemoryFile`),
//! so the start page makes no extra request and the CSP allows no inline
//! style.
//!
//! The brand colour paints buttons, links, the focus ring, the focused
//! field's border and the step indicator. Links are text on the card and
//! the page, so the colour needs 4.5:1 against both backgrounds (the focus
//! ring's and borders' 3:1 follows); the button's label needs 4.5:1
//! against the colour. The backgrounds are the stylesheet's own: a test
//! reads them from `style/main.css`, so the two can't drift.
//!
//! Contrast is WCAG's formula (relative luminance, (L1 + 0.05) / (L2 +
//! 0.05)), a few lines written here: the colour crates either pull in a
//! whole colour-science stack (`palette`) or don't compute it. Parsing any
//! CSS colour is `csscolorparser`'s; what reaches the CSS is always our
//! own `#rrggbb`, never the operator's text.

use std::fmt;

/// A colour, opaque, 8 bits a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

    /// Any CSS colour (`#0b5cab`, `rgb(11 92 171)`, `navy`); not transparent.
    pub fn parse(text: &str) -> Result<Rgb, String> {
        let color = csscolorparser::parse(text.trim())
            .map_err(|_| format!("{text:?} is not a CSS colour (try #rrggbb)"))?;
        let [r, g, b, a] = color.to_rgba8();
        if a != 255 {
            return Err(format!("{text:?} is transparent: give an opaque colour"));
        }
        Ok(Rgb(r, g, b))
    }

    /// WCAG 2.2 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// This colour moved `amount` (0–1) of the way to `other`.
    fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let step = |a: u8, b: u8| {
            (f64::from(a) + (f64::from(b) - f64::from(a)) * amount)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        Rgb(
            step(self.0, other.0),
            step(self.1, other.1),
            step(self.2, other.2),
        )
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// WCAG 2.2 contrast ratio, 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Text and controls' labels (WCAG 2.2 AA, 1.4.3).
pub const TEXT_RATIO: f64 = 4.5;
/// The focus ring and borders (WCAG 2.2 AA, 1.4.11).
pub const NON_TEXT_RATIO: f64 = 3.0;

/// The two colour schemes the stylesheet has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub const ALL: [Scheme; 2] = [Scheme::Light, Scheme::Dark];

    /// The page and the card, as `style/main.css` paints them.
    pub fn backgrounds(self) -> [(&'static str, Rgb); 2] {
        match self {
            Scheme::Light => [
                ("the page", Rgb(0xf3, 0xf5, 0xf8)),
                ("the card", Rgb(0xff, 0xff, 0xff)),
            ],
            Scheme::Dark => [
                ("the page", Rgb(0x0e, 0x15, 0x1c)),
                ("the card", Rgb(0x16, 0x21, 0x2c)),
            ],
        }
    }

    /// The stock brand colour (`--primary`).
    pub fn stock(self) -> Rgb {
        match self {
            Scheme::Light => Rgb(0x0b, 0x5c, 0xab),
            Scheme::Dark => Rgb(0x4c, 0x9e, 0xf0),
        }
    }

    /// The label colours a button may use, best first.
    fn labels(self) -> [Rgb; 2] {
        match self {
            Scheme::Light => [Rgb::WHITE, Rgb(0x0b, 0x15, 0x20)],
            Scheme::Dark => [Rgb(0x0b, 0x15, 0x20), Rgb::WHITE],
        }
    }

    /// Which way a colour moves to stand out more from this scheme's
    /// backgrounds, and the hover colour's direction too.
    fn away(self) -> Rgb {
        match self {
            Scheme::Light => Rgb(0, 0, 0),
            Scheme::Dark => Rgb::WHITE,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// One scheme's brand colours, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemeColors {
    pub primary: Rgb,
    pub hover: Rgb,
    /// The button's label on `primary`.
    pub label: Rgb,
}

/// Why a colour can't be the brand colour in a scheme.
#[derive(Clone, Debug, PartialEq)]
pub struct Shortfall {
    pub against: &'static str,
    pub background: Rgb,
    pub ratio: f64,
}

impl SchemeColors {
    /// `primary` in `scheme`, or its worst contrast against a background.
    pub fn check(scheme: Scheme, primary: Rgb) -> Result<SchemeColors, Shortfall> {
        let worst = scheme
            .backgrounds()
            .into_iter()
            .map(|(against, background)| Shortfall {
                against,
                background,
                ratio: contrast(primary, background),
            })
            .min_by(|a, b| a.ratio.total_cmp(&b.ratio));
        if let Some(worst) = worst.filter(|w| w.ratio < TEXT_RATIO) {
            return Err(worst);
        }
        let label = scheme
            .labels()
            .into_iter()
            .max_by(|a, b| contrast(*a, primary).total_cmp(&contrast(*b, primary)))
            .unwrap_or(Rgb::WHITE);
        if contrast(label, primary) < TEXT_RATIO {
            return Err(Shortfall {
                against: "its button label",
                background: label,
                ratio: contrast(label, primary),
            });
        }
        Ok(SchemeColors {
            primary,
            hover: primary.mix(scheme.away(), 0.18),
            label,
        })
    }

    /// The colour nearest `wanted` (moved towards black on a light scheme,
    /// towards white on a dark one, in steps of 1 %) that passes.
    pub fn nearest(scheme: Scheme, wanted: Rgb) -> SchemeColors {
        (0..=100)
            .find_map(|step| {
                SchemeColors::check(scheme, wanted.mix(scheme.away(), f64::from(step) / 100.0)).ok()
            })
            .unwrap_or(SchemeColors {
                primary: scheme.away(),
                hover: scheme.away(),
                label: scheme.labels()[0],
            })
    }
}

/// The broker's colours in both schemes; `None` in [`Palette::read`]'s
/// answer means the stock look (no generated stylesheet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    pub light: SchemeColors,
    pub dark: SchemeColors,
    /// Whether the dark colour was derived from the light one.
    pub dark_derived: bool,
}

impl Palette {
    /// The palette from the two settings' texts, or every problem, each
    /// with the measured ratio and the nearest colour that passes.
    /// `setting` names each setting for the messages.
    pub fn read(
        light: Option<&str>,
        dark: Option<&str>,
        setting: impl Fn(Scheme) -> String,
    ) -> Result<Option<Palette>, Vec<String>> {
        let mut problems = Vec::new();
        let mut one = |scheme: Scheme, text: &str| match Rgb::parse(text) {
            Err(reason) => {
                problems.push(format!("{}: {reason}", setting(scheme)));
                None
            }
            Ok(wanted) => match SchemeColors::check(scheme, wanted) {
                Ok(colors) => Some(colors),
                Err(short) => {
                    let nearest = SchemeColors::nearest(scheme, wanted);
                    problems.push(format!(
                        "{}: {wanted} has {:.2}:1 against {} ({}) in the {} scheme; links and button labels need {TEXT_RATIO}:1 (WCAG 2.2 AA). The nearest colour that passes: {} ({:.2}:1)",
                        setting(scheme),
                        short.ratio,
                        short.against,
                        short.background,
                        scheme.name(),
                        nearest.primary,
                        SchemeColors::worst_ratio(scheme, nearest.primary),
                    ));
                    None
                }
            },
        };
        let light_colors = light.map(|text| one(Scheme::Light, text));
        let dark_colors = dark.map(|text| one(Scheme::Dark, text));
        if !problems.is_empty() {
            return Err(problems);
        }
        let palette = match (light_colors.flatten(), dark_colors.flatten()) {
            (None, None) => None,
            (Some(light), Some(dark)) => Some(Palette {
                light,
                dark,
                dark_derived: false,
            }),
            (Some(light), None) => Some(Palette {
                light,
                dark: SchemeColors::nearest(Scheme::Dark, light.primary),
                dark_derived: true,
            }),
            (None, Some(dark)) => Some(Palette {
                light: SchemeColors::nearest(Scheme::Light, Scheme::Light.stock()),
                dark,
                dark_derived: false,
            }),
        };
        Ok(palette)
    }

    /// The custom properties that restyle the stock sheet, for the end of
    /// it (later rules win).
    pub fn css(&self) -> String {
        let block = |c: &SchemeColors| {
            format!(
                ":root{{--primary:{};--primary-hover:{};--primary-text:{}}}",
                c.primary, c.hover, c.label
            )
        };
        format!(
            "\n/* brand_color */\n{}\n@media (prefers-color-scheme:dark){{{}}}\n",
            block(&self.light),
            block(&self.dark)
        )
    }

    /// One line for `check-config`.
    pub fn describe(&self) -> String {
        format!(
            "# brand colours: light {} ({:.2}:1 at worst), dark {} ({:.2}:1 at worst{})",
            self.light.primary,
            SchemeColors::worst_ratio(Scheme::Light, self.light.primary),
            self.dark.primary,
            SchemeColors::worst_ratio(Scheme::Dark, self.dark.primary),
            if self.dark_derived {
                "; derived from brand_color, set brand_color_dark to choose"
            } else {
                ""
            }
        )
    }
}

impl SchemeColors {
    fn worst_ratio(scheme: Scheme, color: Rgb) -> f64 {
        scheme
            .backgrounds()
            .into_iter()
            .map(|(_, bg)| contrast(color, bg))
            .fold(f64::INFINITY, f64::min)
    }
}

/// The built stylesheet with the broker's colours appended
/// ([`Palette::css`]). Made once at start and served from memory under a
/// name carrying its own content hash (`http::assets::MemoryFile`), so it
/// is cached for a year like the rest and a colour change is a new name.
/// It replaces the stock sheet in every page: still one stylesheet
/// request, and no inline style for the CSP to allow.
pub fn branded_stylesheet(stock: &str, palette: &Palette) -> String {
    format!("{stock}{}", palette.css())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(scheme: Scheme) -> String {
        format!("brand_color ({})", scheme.name())
    }

    #[test]
    fn the_formula_gives_wcags_reference_ratios() {
        assert!((contrast(Rgb::WHITE, Rgb(0, 0, 0)) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb::WHITE, Rgb::WHITE) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey with 4.5:1 on white.
        assert!(contrast(Rgb(0x76, 0x76, 0x76), Rgb::WHITE) >= 4.5);
        assert!(contrast(Rgb(0x77, 0x77, 0x77), Rgb::WHITE) < 4.5);
    }

    #[test]
    fn any_css_colour_is_read_and_written_back_as_hex() {
        assert_eq!(Rgb::parse("#0B5CAB").unwrap().to_string(), "#0b5cab");
        assert_eq!(Rgb::parse("rgb(11 92 171)").unwrap(), Rgb(11, 92, 171));
        assert_eq!(Rgb::parse("navy").unwrap(), Rgb(0, 0, 0x80));
        assert!(Rgb::parse("#0b5cab80").is_err());
        assert!(Rgb::parse("red; } body { display:none").is_err());
    }

    #[test]
    fn a_pale_colour_is_refused_with_its_ratio_and_the_nearest_that_passes() {
        let problems = Palette::read(Some("#7fb2e5"), None, named).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = &problems[0];
        assert!(text.contains("#7fb2e5 has 2.0"), "{text}");
        assert!(text.contains("light scheme"), "{text}");
        assert!(text.contains("The nearest colour that passes: #"), "{text}");
        // The suggestion passes, and is the first that does.
        let nearest = SchemeColors::nearest(Scheme::Light, Rgb(0x7f, 0xb2, 0xe5));
        assert!(SchemeColors::check(Scheme::Light, nearest.primary).is_ok());
        assert!(SchemeColors::worst_ratio(Scheme::Light, nearest.primary) < 4.8);
    }

    #[test]
    fn a_dark_colour_is_refused_in_the_dark_scheme() {
        let problems = Palette::read(Some("#0b5cab"), Some("#0b5cab"), named).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("dark scheme"), "{}", problems[0]);
    }

    #[test]
    fn the_dark_colour_is_derived_when_not_given_and_every_pair_passes() {
        for light in [
            "#0b5cab", "#6d1a36", "#1b5e20", "#000000", "#4a148c", "#b3261e",
        ] {
            let palette = Palette::read(Some(light), None, named).unwrap().unwrap();
            assert!(palette.dark_derived);
            for (scheme, colors) in [(Scheme::Light, palette.light), (Scheme::Dark, palette.dark)] {
                for (_, bg) in scheme.backgrounds() {
                    assert!(
                        contrast(colors.primary, bg) >= TEXT_RATIO,
                        "{light} {scheme:?}"
                    );
                    assert!(contrast(colors.hover, bg) >= TEXT_RATIO, "{light} hover");
                }
                assert!(contrast(colors.label, colors.primary) >= TEXT_RATIO);
                assert!(
                    contrast(colors.label, colors.hover) >= TEXT_RATIO,
                    "{light} hover label"
                );
            }
        }
        assert_eq!(Palette::read(None, None, named), Ok(None));
    }

    #[test]
    fn the_branded_sheet_is_the_stock_one_plus_the_colours() {
        let palette = Palette::read(Some("#6d1a36"), None, named)
            .unwrap()
            .unwrap();
        let text = branded_stylesheet("body{color:red}", &palette);
        assert!(text.starts_with("body{color:red}"));
        assert!(text.contains("--primary:#6d1a36"));
    }

    #[test]
    fn the_css_carries_only_our_own_hex() {
        let palette = Palette::read(Some("rgb(109 26 54)"), None, named)
            .unwrap()
            .unwrap();
        let css = palette.css();
        assert!(css.contains(":root{--primary:#6d1a36;"), "{css}");
        assert!(css.contains("@media (prefers-color-scheme:dark){:root{--primary:#"));
        assert!(!css.contains("rgb("));
    }

    /// The stylesheet's own colours: the backgrounds here are the sheet's,
    /// and every text and control colour of the stock look passes in both
    /// schemes (text 4.5:1 on the card and the page, fields' and focus's
    /// borders 3:1).
    #[test]
    fn the_stock_stylesheet_passes_and_matches_these_backgrounds() {
        let css = without_comments(include_str!("../style/main.css"));
        let css = css.as_str();
        let light_block = block_after(css, ":root {");
        let dark_block = block_after(css, "@media (prefers-color-scheme: dark) {");
        for (scheme, block) in [(Scheme::Light, light_block), (Scheme::Dark, dark_block)] {
            let var = |name: &str| -> Rgb {
                let value = block
                    .split(';')
                    .find_map(|decl| decl.trim().strip_prefix(&format!("--{name}:")))
                    .unwrap_or_else(|| panic!("--{name} in the {scheme:?} block"));
                Rgb::parse(value.trim()).unwrap()
            };
            assert_eq!(var("bg"), scheme.backgrounds()[0].1, "{scheme:?} page");
            assert_eq!(var("card"), scheme.backgrounds()[1].1, "{scheme:?} card");
            assert_eq!(var("primary"), scheme.stock(), "{scheme:?} primary");
            for text in ["text", "muted", "primary", "error"] {
                for (name, bg) in scheme.backgrounds() {
                    let ratio = contrast(var(text), bg);
                    assert!(
                        ratio >= TEXT_RATIO,
                        "{scheme:?} --{text} on {name}: {ratio:.2}"
                    );
                }
            }
            assert!(contrast(var("error"), var("error-bg")) >= TEXT_RATIO);
            assert!(contrast(var("primary-text"), var("primary")) >= TEXT_RATIO);
            assert!(contrast(var("primary-text"), var("primary-hover")) >= TEXT_RATIO);
            assert!(contrast(var("banner-text"), var("banner-bg")) >= TEXT_RATIO);
            let field = contrast(var("field-border"), var("card"));
            assert!(
                field >= NON_TEXT_RATIO,
                "{scheme:?} field border {field:.2}"
            );
        }
    }

    fn without_comments(css: &str) -> String {
        let mut out = String::new();
        let mut rest = css;
        while let Some(start) = rest.find("/*") {
            out.push_str(&rest[..start]);
            rest = rest[start..]
                .find("*/")
                .map_or("", |end| &rest[start + end + 2..]);
        }
        out.push_str(rest);
        out
    }

    fn block_after<'a>(css: &'a str, opening: &str) -> &'a str {
        let start = css.find(opening).expect("the block") + opening.len();
        let rest = &css[start..];
        let rest = rest.trim_start().strip_prefix(":root {").unwrap_or(rest);
        &rest[..rest.find('}').expect("its end")]
    }
}
