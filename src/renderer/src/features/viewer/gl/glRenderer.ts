// WebGL2 renderer: the stored values as an R16UI (or R32F) texture, windowing in the fragment shader.
// Several panes (whole film, knee crop) share one texture and one context; each is a scissored
// viewport with its own camera.
import type { ImageRenderer } from '../renderer';
import type { DisplayState, Pane, ViewerPixels, VoiFunction } from '../types';
import { packPixels, type PackedTexture } from './packPixels';
import { createProgram } from './program';
import { VERTEX_SHADER, fragmentShader, type ShaderVariant } from './shaders';

const VOI_CODE: Record<VoiFunction, 0 | 1 | 2> = { LINEAR: 0, LINEAR_EXACT: 1, SIGMOID: 2 };

interface ProgramInfo {
  program: WebGLProgram;
  uniforms: Record<string, WebGLUniformLocation | null>;
}

const UNIFORMS = [
  'u_tex',
  'u_texSize',
  'u_canvasHeight',
  'u_paneOrigin',
  'u_paneSize',
  'u_center',
  'u_zoom',
  'u_slope',
  'u_intercept',
  'u_wc',
  'u_ww',
  'u_invert',
] as const;

export class WebGl2Unavailable extends Error {}

interface TextureEntry {
  texture: WebGLTexture;
  width: number;
  height: number;
  packed: PackedTexture;
}

/** Films kept on the GPU (about 10 MB each for 2500×2000 R16UI): shown, next, previous, one spare. */
const TEXTURE_CACHE = 4;

export class GlRenderer implements ImageRenderer {
  readonly kind = 'webgl2' as const;
  private readonly gl: WebGL2RenderingContext;
  /** Linked on first use, one per shader variant (sampler × VOI function × sampling). */
  private readonly programs = new Map<string, ProgramInfo>();
  private readonly vao: WebGLVertexArrayObject | null;
  /** Uploaded films, least recently shown first: the current one plus those preloaded for next. */
  private readonly textures = new Map<ViewerPixels, TextureEntry>();
  private current: TextureEntry | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', {
      antialias: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
    });
    if (!gl) throw new WebGl2Unavailable('WebGL2 is not available in this window');
    this.gl = gl;
    // Link the variant every film starts with now, so a shader problem shows at start-up.
    this.program({ sampler: 'usampler2D', voi: 0, smooth: false });
    this.vao = gl.createVertexArray();
  }

  private program(v: ShaderVariant): ProgramInfo {
    const key = `${v.sampler}|${v.voi}|${v.smooth}`;
    const hit = this.programs.get(key);
    if (hit) return hit;
    const program = createProgram(this.gl, VERTEX_SHADER, fragmentShader(v));
    const uniforms: ProgramInfo['uniforms'] = {};
    for (const name of UNIFORMS) uniforms[name] = this.gl.getUniformLocation(program, name);
    const info = { program, uniforms };
    this.programs.set(key, info);
    return info;
  }

  setImage(px: ViewerPixels): void {
    const entry = this.textures.get(px) ?? this.upload(px);
    // Most recently shown last: eviction takes the oldest.
    this.textures.delete(px);
    this.textures.set(px, entry);
    this.current = entry;
    this.evict();
  }

  preload(px: ViewerPixels): void {
    if (this.textures.has(px)) return;
    const entry = this.upload(px);
    // Keep the shown image the most recent; the preloaded one next.
    this.textures.set(px, entry);
    if (this.current) {
      const shown = [...this.textures.entries()].find(([, e]) => e === this.current);
      if (shown) {
        this.textures.delete(shown[0]);
        this.textures.set(shown[0], shown[1]);
      }
    }
    this.evict();
  }

  private evict(): void {
    while (this.textures.size > TEXTURE_CACHE) {
      const [oldest, entry] = this.textures.entries().next().value as [ViewerPixels, TextureEntry];
      if (entry === this.current) break;
      this.gl.deleteTexture(entry.texture);
      this.textures.delete(oldest);
    }
  }

  private upload(px: ViewerPixels): TextureEntry {
    const gl = this.gl;
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (px.width > max || px.height > max) {
      throw new Error(`Image ${px.width}×${px.height} exceeds this GPU's texture limit of ${max} px`);
    }
    const packed = packPixels(px);
    const texture = gl.createTexture();
    if (!texture) throw new Error('WebGL2: could not create a texture (context lost?)');
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    // Integer and float32 textures are sampled with texelFetch only: NEAREST keeps them complete.
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    if (packed.format === 'R16UI') {
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.R16UI, px.width, px.height);
      gl.texSubImage2D(
        gl.TEXTURE_2D,
        0,
        0,
        0,
        px.width,
        px.height,
        gl.RED_INTEGER,
        gl.UNSIGNED_SHORT,
        packed.data,
      );
    } else {
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.R32F, px.width, px.height);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, px.width, px.height, gl.RED, gl.FLOAT, packed.data);
    }
    const err = gl.getError();
    if (err !== gl.NO_ERROR) {
      gl.deleteTexture(texture);
      throw new Error(`WebGL2: texture upload failed (GL error 0x${err.toString(16)})`);
    }
    return { texture, width: px.width, height: px.height, packed };
  }

  render(panes: readonly Pane[], display: DisplayState, voi: VoiFunction): void {
    const gl = this.gl;
    const { width: cw, height: ch } = this.canvas;
    gl.disable(gl.SCISSOR_TEST);
    gl.viewport(0, 0, cw, ch);
    gl.clearColor(0.03, 0.035, 0.04, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const tex = this.current;
    if (!tex) return;
    const sampler = tex.packed.format === 'R16UI' ? 'usampler2D' : 'sampler2D';
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, tex.texture);
    gl.enable(gl.SCISSOR_TEST);
    for (const pane of panes) {
      const info = this.program({ sampler, voi: VOI_CODE[voi], smooth: pane.view.zoom > 1 });
      const u = info.uniforms;
      gl.useProgram(info.program);
      gl.uniform1i(u.u_tex!, 0);
      gl.uniform2i(u.u_texSize!, tex.width, tex.height);
      gl.uniform1f(u.u_canvasHeight!, ch);
      gl.uniform1f(u.u_slope!, tex.packed.slope);
      gl.uniform1f(u.u_intercept!, tex.packed.intercept);
      gl.uniform1f(u.u_wc!, display.window.center);
      gl.uniform1f(u.u_ww!, Math.max(display.window.width, 1e-6));
      gl.uniform1f(u.u_invert!, display.invert ? 1 : 0);
      const { x, y, w, h } = pane.rect;
      // GL's window origin is bottom-left.
      const glY = ch - (y + h);
      gl.viewport(x, glY, w, h);
      gl.scissor(x, glY, w, h);
      gl.uniform2f(u.u_paneOrigin!, x, y);
      gl.uniform2f(u.u_paneSize!, w, h);
      gl.uniform2f(u.u_center!, pane.view.cx, pane.view.cy);
      gl.uniform1f(u.u_zoom!, pane.view.zoom);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
    }
    gl.disable(gl.SCISSOR_TEST);
  }

  finish(): void {
    // Reading one pixel back waits for the GPU (gl.finish() is allowed to return early).
    const px = new Uint8Array(4);
    this.gl.readPixels(0, 0, 1, 1, this.gl.RGBA, this.gl.UNSIGNED_BYTE, px);
  }

  dispose(): void {
    const gl = this.gl;
    for (const e of this.textures.values()) gl.deleteTexture(e.texture);
    this.textures.clear();
    for (const p of this.programs.values()) gl.deleteProgram(p.program);
    this.programs.clear();
    if (this.vao) gl.deleteVertexArray(this.vao);
    this.current = null;
  }
}
