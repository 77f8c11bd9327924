package io.fidelis.cards.adapter.in.web;

import java.text.NumberFormat;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;

import io.fidelis.cards.application.ManagingCards;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.CardWords;
import io.fidelis.cards.domain.WalletCard;

/**
 * The member's card page as HTML: one small page, no script, readable on a phone, in the card's
 * colours and words. The barcode is drawn as the pass draws it (same format, same message, the
 * card number) in SVG, so a till scans the page as it scans the wallet.
 */
final class CardPageHtml {

	private CardPageHtml() {
	}

	static String render(ManagingCards.Page page, String language) {
		WalletCard card = page.card();
		CardDesign design = page.design();
		Map<String, String> words = new LinkedHashMap<>(pageWords(language));
		words.putAll(CardWords.of(design, language));
		Locale locale = Locale.forLanguageTag(language);
		NumberFormat number = NumberFormat.getIntegerInstance(locale);
		StringBuilder body = new StringBuilder();
		body.append("<header><img src=\"/cards/images/").append(escape(card.programId())).append("/logo.png\" alt=\"\" height=\"40\">")
				.append("<span class=\"organization\">").append(escape(design.organizationName())).append("</span></header>\n");
		body.append("<h1>").append(escape(words.get("title"))).append("</h1>\n");
		if (card.memberName() != null) {
			body.append("<p class=\"member\">").append(escape(card.memberName())).append("</p>\n");
		}
		if (card.ended()) {
			body.append("<p class=\"notice\" id=\"notice\">").append(escape(words.get("voided"))).append("</p>\n");
			return document(language, design, words, body);
		}
		body.append("<dl class=\"figures\">");
		figure(body, "balance", words.get("balance"), number.format(card.available()));
		if (card.pending() > 0) {
			figure(body, "pending", words.get("pending"), number.format(card.pending()));
		}
		figure(body, "tier", words.get("tier"), card.tier() == null || card.tier().isBlank() ? words.get("no_tier") : card.tier());
		body.append("</dl>\n");
		if (card.expiringSoon() > 0 && card.expiringFirst() != null) {
			body.append("<p class=\"expiring\">").append(escape(words.get("expires_on"))).append(' ')
					.append(escape(DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)
							.format(card.expiringFirst().atZone(page.zone()).toLocalDate())))
					.append(": ").append(escape(number.format(card.expiringSoon()))).append("</p>\n");
		}
		if (card.status() == WalletCard.CardStatus.SUSPENDED) {
			body.append("<p class=\"notice\" id=\"notice\">").append(escape(words.get("suspended"))).append("</p>\n");
		}
		else if (card.cardNumber() != null) {
			body.append("<figure class=\"barcode\">").append(barcode(design.barcodeFormat(), card.cardNumber()))
					.append("<figcaption>").append(escape(words.get("card_number"))).append(" <span id=\"card-number\">")
					.append(escape(card.cardNumber())).append("</span></figcaption></figure>\n<p class=\"hint\">")
					.append(escape(words.get("show_code"))).append("</p>\n");
		}
		if (page.appleUrl() != null || page.googleUrl() != null) {
			body.append("<nav class=\"wallets\">");
			if (page.appleUrl() != null) {
				body.append("<a class=\"wallet apple\" id=\"apple\" href=\"").append(escape(page.appleUrl())).append("\">")
						.append(escape(words.get("add_apple"))).append("</a>");
			}
			if (page.googleUrl() != null) {
				body.append("<a class=\"wallet google\" id=\"google\" href=\"").append(escape(page.googleUrl())).append("\">")
						.append(escape(words.get("add_google"))).append("</a>");
			}
			body.append("</nav>\n");
		}
		return document(language, design, words, body);
	}

	/** A page that tells why there is no card to show. */
	static String refusal(String language, String key) {
		Map<String, String> words = pageWords(language);
		StringBuilder body = new StringBuilder("<p class=\"notice\" id=\"notice\">").append(escape(words.get(key))).append("</p>\n");
		return document(language, null, words, body);
	}

	private static void figure(StringBuilder body, String id, String label, String value) {
		body.append("<div><dt>").append(escape(label)).append("</dt><dd id=\"").append(id).append("\">").append(escape(value))
				.append("</dd></div>");
	}

	private static String document(String language, CardDesign design, Map<String, String> words, StringBuilder body) {
		String background = design == null ? "#1F3A5F" : design.backgroundColor();
		String foreground = design == null ? "#FFFFFF" : design.foregroundColor();
		String label = design == null ? "#C9D6E8" : design.labelColor();
		String title = design == null ? words.get("title") : design.organizationName() + " · " + words.get("title");
		return "<!doctype html>\n<html lang=\"" + escape(language) + "\">\n<head>\n<meta charset=\"utf-8\">\n"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				+ "<meta name=\"robots\" content=\"noindex\">\n<title>" + escape(title) + "</title>\n<style>\n"
				+ ":root{--bg:" + background + ";--fg:" + foreground + ";--label:" + label + "}\n"
				+ "*{box-sizing:border-box}body{margin:0;min-height:100vh;background:#EEF1F5;color:#1B1F24;"
				+ "font:16px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;display:flex;justify-content:center;align-items:flex-start}\n"
				+ "main{width:100%;max-width:28rem;margin:1rem;padding:1.25rem;border-radius:1rem;background:var(--bg);"
				+ "color:var(--fg);box-shadow:0 2px 12px rgba(0,0,0,.2)}\n"
				+ "header{display:flex;align-items:center;gap:.75rem}header img{max-width:10rem;height:40px;object-fit:contain}\n"
				+ ".organization{font-weight:600}h1{font-size:1.25rem;margin:1rem 0 .25rem}.member{margin:0 0 1rem}\n"
				+ ".figures{display:flex;flex-wrap:wrap;gap:1.5rem;margin:0 0 1rem}dt{color:var(--label);font-size:.8rem;"
				+ "text-transform:uppercase;letter-spacing:.04em}dd{margin:0;font-size:1.5rem;font-weight:600}\n"
				+ ".expiring,.hint{color:var(--label);font-size:.9rem}.notice{font-weight:600;padding:.75rem;border-radius:.5rem;"
				+ "background:rgba(255,255,255,.15)}\n"
				+ ".barcode{margin:1rem 0 0;padding:1rem;border-radius:.5rem;background:#FFF;color:#000;text-align:center}\n"
				+ ".barcode svg{display:block;width:100%;max-height:12rem}.barcode svg.linear{height:6rem}\n"
				+ "figcaption{margin-top:.5rem;font-size:.9rem}#card-number{font-family:ui-monospace,monospace;"
				+ "letter-spacing:.08em}\n"
				+ ".wallets{display:flex;flex-direction:column;gap:.75rem;margin-top:1.25rem}.wallet{display:block;"
				+ "padding:.9rem 1rem;border-radius:.6rem;background:#000;color:#FFF;text-align:center;text-decoration:none;"
				+ "font-weight:600;min-height:44px}\n"
				+ "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
	}

	/** The barcode as SVG: one rectangle per run of dark modules in a row. */
	static String barcode(CardDesign.BarcodeFormat format, String message) {
		BarcodeFormat zxing = switch (format) {
			case QR -> BarcodeFormat.QR_CODE;
			case CODE128 -> BarcodeFormat.CODE_128;
			case PDF417 -> BarcodeFormat.PDF_417;
			case AZTEC -> BarcodeFormat.AZTEC;
		};
		Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
		hints.put(EncodeHintType.MARGIN, format == CardDesign.BarcodeFormat.CODE128 ? 10 : 2);
		hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
		BitMatrix matrix;
		try {
			matrix = new MultiFormatWriter().encode(message, zxing, 0, 0, hints);
		}
		catch (WriterException | IllegalArgumentException e) {
			throw new IllegalStateException("Card number " + message + " cannot be drawn as " + format, e);
		}
		boolean linear = format == CardDesign.BarcodeFormat.CODE128;
		// a linear code is one row of bars, stretched to the figure's height
		int rows = linear ? 1 : matrix.getHeight();
		StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"")
				.append(escape(message)).append("\" class=\"").append(linear ? "linear" : "matrix").append("\" viewBox=\"0 0 ")
				.append(matrix.getWidth()).append(' ').append(rows).append("\" preserveAspectRatio=\"")
				.append(linear ? "none" : "xMidYMid meet").append("\" shape-rendering=\"crispEdges\"><path d=\"");
		for (int y = 0; y < rows; y++) {
			for (int x = 0; x < matrix.getWidth();) {
				if (!matrix.get(x, y)) {
					x++;
					continue;
				}
				int start = x;
				while (x < matrix.getWidth() && matrix.get(x, y)) {
					x++;
				}
				svg.append('M').append(start).append(' ').append(y).append('h').append(x - start).append("v1h-")
						.append(x - start).append('z');
			}
		}
		return svg.append("\" fill=\"#000\"/></svg>").toString();
	}

	/** The page's own words (title, buttons, refusals) in Fidelis' languages: read once. */
	private static final Map<String, Map<String, String>> PAGE_WORDS = CardWords.STANDARD.stream().collect(
			java.util.stream.Collectors.toUnmodifiableMap(l -> l, l -> CardWords.parse(CardWords.read("cards/page/" + l + ".strings"))));

	private static Map<String, String> pageWords(String language) {
		return PAGE_WORDS.getOrDefault(language, PAGE_WORDS.get("en"));
	}

	static String escape(String text) {
		return text == null ? "" : org.springframework.web.util.HtmlUtils.htmlEscape(text, "UTF-8");
	}
}
