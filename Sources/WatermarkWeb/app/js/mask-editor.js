// The mask editor's canvas: the image with zoom and pan, polygons, brush strokes, an eraser that removes
// the shapes it touches, undo/redo and the mask's opacity. Shapes are kept in image pixels and drawn as
// vectors over the image each frame (one drawImage of a decoded bitmap), so a 6000×4000 photo stays
// responsive; they are converted to the contract's canvas units (1920×1080 for any image) when saved.

/** @typedef {{x: number, y: number}} Point */
/** @typedef {{kind: "polygon", points: Point[]} | {kind: "stroke", radius: number, points: Point[]}} Shape */

export class MaskEditor {
    /** @param {HTMLCanvasElement} canvas @param {ImageBitmap} image @param {() => void} onChange */
    constructor(canvas, image, onChange) {
        this.canvas = canvas;
        this.image = image;
        this.onChange = onChange;
        /** @type {Shape[]} */
        this.shapes = [];
        /** @type {string[]} */
        this.undoStack = [];
        /** @type {string[]} */
        this.redoStack = [];
        /** @type {Point[]} */
        this.draft = [];
        this.tool = "polygon";
        this.brushSize = 24;
        this.opacity = 0.5;
        this.scale = 1;
        this.offsetX = 0;
        this.offsetY = 0;
        /** @type {Map<number, {x: number, y: number}>} */
        this.pointers = new Map();
        /** @type {Shape | null} */
        this.stroke = null;
        this.frame = 0;
        /** The image drawn at the current zoom when zoomed out (see `paint`). */
        /** @type {{scale: number, copy: HTMLCanvasElement} | null} */
        this.reduced = null;
        /** When the oldest input not yet painted arrived (`event.timeStamp`), for the input-to-paint measure. */
        /** @type {number | null} */
        this.pendingInput = null;
        this.fit();
        canvas.addEventListener("pointerdown", (event) => this.pointerDown(event));
        canvas.addEventListener("pointermove", (event) => this.pointerMove(event));
        canvas.addEventListener("pointerup", (event) => this.pointerUp(event));
        canvas.addEventListener("pointercancel", (event) => this.pointerUp(event));
        canvas.addEventListener("dblclick", () => this.closePolygon());
        canvas.addEventListener("wheel", (event) => {
            event.preventDefault();
            const point = this.local(event);
            this.zoomAt(point.x, point.y, event.deltaY < 0 ? 1.15 : 1 / 1.15);
        }, { passive: false });
        new ResizeObserver(() => this.fit()).observe(canvas);
    }

    /** Fits the whole image in the canvas. */
    fit() {
        const ratio = window.devicePixelRatio || 1;
        this.canvas.width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
        this.canvas.height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
        this.scale = Math.min(this.canvas.width / this.image.width, this.canvas.height / this.image.height);
        this.offsetX = (this.canvas.width - this.image.width * this.scale) / 2;
        this.offsetY = (this.canvas.height - this.image.height * this.scale) / 2;
        this.draw();
    }

    zoomAt(x, y, factor) {
        const scale = Math.min(Math.max(this.scale * factor, 0.02), 40);
        this.offsetX = x - (x - this.offsetX) * (scale / this.scale);
        this.offsetY = y - (y - this.offsetY) * (scale / this.scale);
        this.scale = scale;
        this.draw();
    }

    zoom(factor) {
        this.zoomAt(this.canvas.width / 2, this.canvas.height / 2, factor);
    }

    /** The event's position in canvas pixels. */
    local(event) {
        const box = this.canvas.getBoundingClientRect();
        const ratio = this.canvas.width / box.width;
        return { x: (event.clientX - box.left) * ratio, y: (event.clientY - box.top) * ratio };
    }

    /** Canvas pixels → image pixels, clamped to the image. */
    toImage(point) {
        return {
            x: Math.min(Math.max((point.x - this.offsetX) / this.scale, 0), this.image.width),
            y: Math.min(Math.max((point.y - this.offsetY) / this.scale, 0), this.image.height),
        };
    }

    pointerDown(event) {
        this.canvas.setPointerCapture(event.pointerId);
        const point = this.local(event);
        this.pointers.set(event.pointerId, point);
        if (this.pointers.size > 1 || this.tool === "pan" || event.button === 1) {
            this.stroke = null;
            return;
        }
        const at = this.toImage(point);
        if (this.tool === "polygon") {
            const first = this.draft[0];
            if (first && this.draft.length >= 3 && Math.hypot(first.x - at.x, first.y - at.y) * this.scale < 12) this.closePolygon();
            else this.draft.push(at);
        } else if (this.tool === "brush") {
            this.stroke = { kind: "stroke", radius: this.brushSize / this.scale, points: [at] };
        } else if (this.tool === "eraser") {
            this.eraseAt(at);
        }
        this.draw();
    }

    pointerMove(event) {
        const previous = this.pointers.get(event.pointerId);
        if (!previous) return;
        if (this.pendingInput === null) this.pendingInput = event.timeStamp;
        const point = this.local(event);
        if (this.pointers.size === 2) {
            // Two fingers: pan by the move and zoom by the change of their distance.
            const [a, b] = [...this.pointers.values()];
            const before = Math.hypot(a.x - b.x, a.y - b.y);
            this.pointers.set(event.pointerId, point);
            const [c, d] = [...this.pointers.values()];
            const after = Math.hypot(c.x - d.x, c.y - d.y);
            this.offsetX += (point.x - previous.x) / 2;
            this.offsetY += (point.y - previous.y) / 2;
            if (before > 0) this.zoomAt((c.x + d.x) / 2, (c.y + d.y) / 2, after / before);
            return;
        }
        this.pointers.set(event.pointerId, point);
        if (this.tool === "pan" || event.buttons === 4) {
            this.offsetX += point.x - previous.x;
            this.offsetY += point.y - previous.y;
            this.draw();
        } else if (this.stroke && this.stroke.kind === "stroke") {
            const at = this.toImage(point);
            const last = this.stroke.points[this.stroke.points.length - 1];
            if (Math.hypot(at.x - last.x, at.y - last.y) >= this.stroke.radius / 3 && this.stroke.points.length < 2000) this.stroke.points.push(at);
            this.draw();
        } else if (this.tool === "eraser" && event.buttons === 1) {
            this.eraseAt(this.toImage(point));
        }
    }

    pointerUp(event) {
        this.pointers.delete(event.pointerId);
        if (this.stroke) {
            this.change(() => this.shapes.push(/** @type {Shape} */ (this.stroke)));
            this.stroke = null;
        }
    }

    /** Ends the polygon being drawn (three points or more). */
    closePolygon() {
        if (this.draft.length >= 3) {
            const points = this.draft.slice(0, 1000);
            this.change(() => this.shapes.push({ kind: "polygon", points }));
        }
        this.draft = [];
        this.draw();
    }

    eraseAt(at) {
        const hit = this.shapes.findIndex((shape) => shape.kind === "polygon" ? inside(at, shape.points) : nearStroke(at, shape));
        if (hit >= 0) this.change(() => this.shapes.splice(hit, 1));
    }

    /** Applies `edit` as one undoable step. */
    change(edit) {
        this.undoStack.push(JSON.stringify(this.shapes));
        this.redoStack = [];
        edit();
        this.draw();
        this.onChange();
    }

    undo() {
        if (this.draft.length > 0) {
            this.draft.pop();
        } else if (this.undoStack.length > 0) {
            this.redoStack.push(JSON.stringify(this.shapes));
            this.shapes = JSON.parse(/** @type {string} */ (this.undoStack.pop()));
        }
        this.draw();
        this.onChange();
    }

    redo() {
        if (this.redoStack.length === 0) return;
        this.undoStack.push(JSON.stringify(this.shapes));
        this.shapes = JSON.parse(/** @type {string} */ (this.redoStack.pop()));
        this.draw();
        this.onChange();
    }

    /** Replaces the shapes (a saved mask, in canvas units) as one undoable step. */
    load(mask, canvasWidth, canvasHeight) {
        this.change(() => { this.shapes = this.imageShapes(mask, canvasWidth, canvasHeight); });
    }

    /** Adds a mask's shapes (a proposal, in canvas units) to what is drawn, as one undoable step. */
    add(mask, canvasWidth, canvasHeight) {
        this.change(() => { this.shapes = [...this.shapes, ...this.imageShapes(mask, canvasWidth, canvasHeight)]; });
    }

    /** A mask in canvas units as shapes in image pixels. */
    imageShapes(mask, canvasWidth, canvasHeight) {
        const sx = this.image.width / canvasWidth;
        const sy = this.image.height / canvasHeight;
        const point = (p) => ({ x: p.x * sx, y: p.y * sy });
        return [
            ...(mask.polygons ?? []).map((polygon) => ({ kind: /** @type {const} */ ("polygon"), points: polygon.points.map(point) })),
            ...(mask.strokes ?? []).map((stroke) => ({ kind: /** @type {const} */ ("stroke"), radius: stroke.radius * sx, points: stroke.points.map(point) })),
        ];
    }

    /** The mask in the contract's canvas units: `{polygons, strokes}` with only what is drawn. */
    toMask(canvasWidth, canvasHeight) {
        const sx = canvasWidth / this.image.width;
        const sy = canvasHeight / this.image.height;
        const point = (p) => ({ x: Math.round(Math.min(Math.max(p.x * sx, 0), canvasWidth) * 10) / 10, y: Math.round(Math.min(Math.max(p.y * sy, 0), canvasHeight) * 10) / 10 });
        const polygons = this.shapes.filter((shape) => shape.kind === "polygon").slice(0, 64).map((shape) => ({ points: shape.points.map(point) }));
        const strokes = this.shapes.filter((shape) => shape.kind === "stroke").slice(0, 256).map((shape) => ({
            radius: Math.min(Math.max(Math.round(/** @type {any} */ (shape).radius * sx * 10) / 10, 1), 256),
            points: shape.points.map(point),
        }));
        /** @type {{polygons?: any[], strokes?: any[]}} */
        const mask = {};
        if (polygons.length > 0) mask.polygons = polygons;
        if (strokes.length > 0) mask.strokes = strokes;
        return mask;
    }

    get empty() {
        return this.shapes.length === 0;
    }

    /** Draws on the next frame (several changes in one frame draw once). */
    draw() {
        if (this.frame) return;
        this.frame = requestAnimationFrame(() => {
            this.frame = 0;
            this.paint();
        });
    }

    paint() {
        const context = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
        context.setTransform(1, 0, 0, 1, 0, 0);
        context.clearRect(0, 0, this.canvas.width, this.canvas.height);
        if (this.scale < 1) {
            // Zoomed out: draw a copy of the image made at this zoom once, not the whole bitmap scaled
            // down every frame (what keeps brushing on a 6000×4000 photo within a frame).
            if (!this.reduced || this.reduced.scale !== this.scale) {
                const width = Math.max(1, Math.round(this.image.width * this.scale));
                const height = Math.max(1, Math.round(this.image.height * this.scale));
                const copy = document.createElement("canvas");
                copy.width = width;
                copy.height = height;
                const drawing = /** @type {CanvasRenderingContext2D} */ (copy.getContext("2d"));
                drawing.imageSmoothingQuality = "high";
                drawing.drawImage(this.image, 0, 0, width, height);
                this.reduced = { scale: this.scale, copy };
            }
            context.drawImage(this.reduced.copy, Math.round(this.offsetX), Math.round(this.offsetY));
        }
        context.setTransform(this.scale, 0, 0, this.scale, this.offsetX, this.offsetY);
        if (this.scale >= 1) {
            context.imageSmoothingEnabled = false;
            context.drawImage(this.image, 0, 0);
        }
        context.globalAlpha = this.opacity;
        context.fillStyle = "#ff1f5a";
        context.strokeStyle = "#ff1f5a";
        context.lineCap = "round";
        context.lineJoin = "round";
        const shapes = this.stroke ? [...this.shapes, this.stroke] : this.shapes;
        for (const shape of shapes) {
            context.beginPath();
            shape.points.forEach((p, index) => (index === 0 ? context.moveTo(p.x, p.y) : context.lineTo(p.x, p.y)));
            if (shape.kind === "polygon") {
                context.closePath();
                context.fill();
            } else {
                if (shape.points.length === 1) context.lineTo(shape.points[0].x + 0.01, shape.points[0].y);
                context.lineWidth = shape.radius * 2;
                context.stroke();
            }
        }
        context.globalAlpha = 1;
        if (this.draft.length > 0) {
            context.lineWidth = 2 / this.scale;
            context.strokeStyle = "#ffd400";
            context.beginPath();
            this.draft.forEach((p, index) => (index === 0 ? context.moveTo(p.x, p.y) : context.lineTo(p.x, p.y)));
            context.stroke();
            for (const p of this.draft) context.fillRect(p.x - 3 / this.scale, p.y - 3 / this.scale, 6 / this.scale, 6 / this.scale);
        }
        if (this.pendingInput !== null) {
            // From the pointer event to this frame drawn (docs/benchmarks.md reads these).
            performance.measure("mask-editor:input-to-paint", { start: this.pendingInput, end: performance.now() });
            this.pendingInput = null;
        }
    }
}

/** Whether `p` is inside the polygon (even-odd rule). */
function inside(p, points) {
    let result = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const a = points[i];
        const b = points[j];
        if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) result = !result;
    }
    return result;
}

/** Whether `p` is within a stroke's radius of its polyline. */
function nearStroke(p, stroke) {
    return stroke.points.some((a, index) => {
        const b = stroke.points[index + 1] ?? a;
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const length = dx * dx + dy * dy;
        const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length));
        return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)) <= stroke.radius;
    });
}
