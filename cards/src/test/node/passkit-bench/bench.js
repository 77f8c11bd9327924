#!/usr/bin/env node
/*
 * Fidelis - Node.js reference benchmark for Apple Wallet pass signing.
 *
 * Builds and signs N .pkpass files with the npm package "passkit-generator",
 * from a model directory read once into memory, and prints one JSON line:
 *
 *   {"library":"passkit-generator","version":"x.y.z","passes":N,
 *    "seconds":s,"perSecond":p,"bytes":b}
 *
 * Usage:
 *   node bench.js --model <dir> --cert <signerCert.pem> --key <signerKey.pem>
 *                 --wwdr <wwdr.pem> --count <N> [--warmup <W>] [--out <file.pkpass>]
 *
 * Only stdout carries the JSON line; library warnings and errors go to stderr.
 * Exit codes: 0 ok, 1 runtime error, 2 usage error.
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { parseArgs } = require("node:util");

const USAGE =
	"usage: node bench.js --model <dir> --cert <signerCert.pem> --key <signerKey.pem> " +
	"--wwdr <wwdr.pem> --count <N> [--warmup <W>] [--out <file.pkpass>]";

const FIELD_KEY = "balance";
const FIELD_GROUPS = [
	"primaryFields",
	"secondaryFields",
	"auxiliaryFields",
	"headerFields",
	"backFields",
];

class UsageError extends Error {}

function fail(message, code) {
	process.stderr.write(`passkit-bench: error: ${message}\n`);
	if (code === 2) {
		process.stderr.write(`${USAGE}\n`);
	}
	process.exit(code);
}

function parseCli(argv) {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				model: { type: "string" },
				cert: { type: "string" },
				key: { type: "string" },
				wwdr: { type: "string" },
				count: { type: "string" },
				warmup: { type: "string" },
				out: { type: "string" },
				help: { type: "boolean", short: "h" },
			},
		}));
	} catch (err) {
		throw new UsageError(err.message);
	}
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	for (const required of ["model", "cert", "key", "wwdr", "count"]) {
		if (!values[required]) {
			throw new UsageError(`missing required option --${required}`);
		}
	}
	return {
		model: values.model,
		cert: values.cert,
		key: values.key,
		wwdr: values.wwdr,
		count: parseCount("count", values.count, 1),
		warmup: values.warmup === undefined ? 20 : parseCount("warmup", values.warmup, 0),
		out: values.out,
	};
}

function parseCount(name, raw, min) {
	if (!/^\d+$/.test(raw)) {
		throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
	}
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < min) {
		throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
	}
	return n;
}

function readFileOrThrow(file, what) {
	try {
		return fs.readFileSync(file);
	} catch (err) {
		throw new Error(`cannot read ${what} "${file}": ${err.message}`);
	}
}

/**
 * Reads every regular file below `dir` into { "relative/posix/path": Buffer }.
 * Hidden files and any pre-existing manifest.json / signature are skipped
 * (the library regenerates both anyway).
 */
function loadModel(dir) {
	let stat;
	try {
		stat = fs.statSync(dir);
	} catch (err) {
		throw new Error(`cannot read model directory "${dir}": ${err.message}`);
	}
	if (!stat.isDirectory()) {
		throw new Error(`model "${dir}" is not a directory`);
	}
	const buffers = {};
	const walk = (abs, rel) => {
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			if (entry.name.startsWith(".")) continue;
			const entryAbs = path.join(abs, entry.name);
			const entryRel = rel ? `${rel}/${entry.name}` : entry.name;
			if (entry.isDirectory()) {
				walk(entryAbs, entryRel);
			} else if (entry.isFile()) {
				if (entryRel === "manifest.json" || entryRel === "signature") continue;
				buffers[entryRel] = fs.readFileSync(entryAbs);
			}
		}
	};
	walk(dir, "");
	if (!buffers["pass.json"]) {
		throw new Error(`model "${dir}" has no pass.json`);
	}
	let passJson;
	try {
		passJson = JSON.parse(buffers["pass.json"].toString("utf8"));
	} catch (err) {
		throw new Error(`model pass.json is not valid JSON: ${err.message}`);
	}
	return { buffers, passJson };
}

/** Version of the passkit-generator package actually resolved by require(). */
function installedVersion() {
	// "exports" does not expose ./package.json, so walk up from the entry point.
	let dir = path.dirname(require.resolve("passkit-generator"));
	for (;;) {
		const candidate = path.join(dir, "package.json");
		if (fs.existsSync(candidate)) {
			const pkg = JSON.parse(fs.readFileSync(candidate, "utf8"));
			if (pkg.name === "passkit-generator") return pkg.version;
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error("cannot locate passkit-generator/package.json");
		dir = parent;
	}
}

function loadLibrary() {
	try {
		return require("passkit-generator");
	} catch (err) {
		throw new Error(
			`cannot load passkit-generator (run "npm ci" in ${__dirname}): ${err.message}`,
		);
	}
}

function main() {
	const opts = parseCli(process.argv.slice(2));
	const { PKPass } = loadLibrary();
	const version = installedVersion();

	const { buffers, passJson } = loadModel(opts.model);
	// passkit-generator accepts PEM as string or Buffer; it re-parses them with
	// node-forge on every signature. The key must be an RSA key in PEM
	// ("PRIVATE KEY" or "RSA PRIVATE KEY"); no passphrase is passed.
	const certificates = {
		signerCert: readFileOrThrow(opts.cert, "signer certificate"),
		signerKey: readFileOrThrow(opts.key, "signer key"),
		wwdr: readFileOrThrow(opts.wwdr, "WWDR certificate"),
	};

	// Template barcode: keep its format/encoding, change only the message.
	const templateBarcode =
		(Array.isArray(passJson.barcodes) && passJson.barcodes[0]) || passJson.barcode || null;
	const barcodeBase = {
		format: (templateBarcode && templateBarcode.format) || "PKBarcodeFormatQR",
		messageEncoding: (templateBarcode && templateBarcode.messageEncoding) || "iso-8859-1",
	};
	if (templateBarcode && templateBarcode.altText !== undefined) {
		barcodeBase.altText = templateBarcode.altText;
	}

	const buildPass = (serialNumber, i) => {
		const pass = new PKPass(buffers, certificates, { serialNumber });

		// The library only console.warn()s on an invalid pass.json and carries on.
		if (!pass.types.length) {
			throw new Error("the library did not accept model pass.json (no pass type imported; see warnings above)");
		}

		// Change the value of the field with key "balance" through the validated
		// fields array. Replacing the element in place (fields[idx] = {...})
		// is rejected as a duplicate key, so remove it and insert the new one.
		let replaced = false;
		for (const passType of pass.types) {
			for (const group of FIELD_GROUPS) {
				const fields = passType[group];
				const idx = fields.findIndex((f) => f && f.key === FIELD_KEY);
				if (idx === -1) continue;
				const [old] = fields.splice(idx, 1);
				fields.splice(idx, 0, { ...old, value: String((i * 37) % 10000) });
				replaced = true;
				break;
			}
			if (replaced) break;
		}
		if (!replaced) {
			throw new Error(`model pass.json has no field with key "${FIELD_KEY}"`);
		}

		const message = `FIDELIS-${serialNumber}`;
		pass.setBarcodes({ ...barcodeBase, message });
		// setBarcodes() silently drops invalid barcode objects.
		const barcodes = pass.props.barcodes;
		if (!barcodes || !barcodes.length || barcodes[0].message !== message) {
			throw new Error(`barcode ${JSON.stringify(barcodeBase)} was rejected by the library`);
		}

		return pass.getAsBuffer();
	};

	for (let i = 0; i < opts.warmup; i++) {
		buildPass(`warmup-${i}`, i);
	}

	let last = null;
	const start = process.hrtime.bigint();
	for (let i = 0; i < opts.count; i++) {
		last = buildPass(`bench-${i}`, i);
	}
	const elapsedNs = process.hrtime.bigint() - start;
	const seconds = Number(elapsedNs) / 1e9;

	if (!last || !last.length) {
		throw new Error("the library produced an empty .pkpass buffer");
	}
	if (opts.out) {
		try {
			fs.writeFileSync(opts.out, last);
		} catch (err) {
			throw new Error(`cannot write --out "${opts.out}": ${err.message}`);
		}
	}

	process.stdout.write(
		JSON.stringify({
			library: "passkit-generator",
			version,
			passes: opts.count,
			seconds,
			perSecond: opts.count / seconds,
			bytes: last.length,
		}) + "\n",
	);
}

try {
	main();
} catch (err) {
	if (err instanceof UsageError) fail(err.message, 2);
	fail(err && err.stack && process.env.PASSKIT_BENCH_DEBUG ? err.stack : String(err && err.message ? err.message : err), 1);
}
