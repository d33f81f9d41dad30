// WebGL2 renderer: the stored values as an R16UI (or R32F) texture, windowing in the fragment shader.
// Several panes (whole film, knee crop) share one texture and one context; each is a scissored
// viewport with its own camera.
import type { ImageRenderer } from '../renderer';
import type { DisplayState, Pane, ViewerPixels, VoiFunction } from '../types';
import { packPixels, type PackedTexture } from './packPixels';
import { createProgram } from './program';
import { VERTEX_SHADER, fragmentShader } from './shaders';

const VOI_CODE: Record<VoiFunction, number> = { LINEAR: 0, LINEAR_EXACT: 1, SIGMOID: 2 };

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
  'u_voi',
  'u_invert',
  'u_smooth',
] as const;

export class WebGl2Unavailable extends Error {}

export class GlRenderer implements ImageRenderer {
  readonly kind = 'webgl2' as const;
  private readonly gl: WebGL2RenderingContext;
  private readonly programs: { uint: ProgramInfo; float: ProgramInfo };
  private readonly vao: WebGLVertexArrayObject | null;
  private texture: WebGLTexture | null = null;
  private tex: { width: number; height: number; packed: PackedTexture } | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', {
      antialias: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
    });
    if (!gl) throw new WebGl2Unavailable('WebGL2 is not available in this window');
    this.gl = gl;
    this.programs = {
      uint: this.link('usampler2D'),
      float: this.link('sampler2D'),
    };
    this.vao = gl.createVertexArray();
  }

  private link(sampler: 'usampler2D' | 'sampler2D'): ProgramInfo {
    const program = createProgram(this.gl, VERTEX_SHADER, fragmentShader(sampler));
    const uniforms: ProgramInfo['uniforms'] = {};
    for (const name of UNIFORMS) uniforms[name] = this.gl.getUniformLocation(program, name);
    return { program, uniforms };
  }

  setImage(px: ViewerPixels): void {
    const gl = this.gl;
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (px.width > max || px.height > max) {
      throw new Error(`Image ${px.width}×${px.height} exceeds this GPU's texture limit of ${max} px`);
    }
    const packed = packPixels(px);
    if (this.texture) gl.deleteTexture(this.texture);
    const texture = gl.createTexture();
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
    if (err !== gl.NO_ERROR)
      throw new Error(`WebGL2: texture upload failed (GL error 0x${err.toString(16)})`);
    this.texture = texture;
    this.tex = { width: px.width, height: px.height, packed };
  }

  render(panes: readonly Pane[], display: DisplayState, voi: VoiFunction): void {
    const gl = this.gl;
    const { width: cw, height: ch } = this.canvas;
    gl.disable(gl.SCISSOR_TEST);
    gl.viewport(0, 0, cw, ch);
    gl.clearColor(0.03, 0.035, 0.04, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    if (!this.tex || !this.texture) return;
    const info = this.tex.packed.format === 'R16UI' ? this.programs.uint : this.programs.float;
    const u = info.uniforms;
    gl.useProgram(info.program);
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform1i(u.u_tex!, 0);
    gl.uniform2i(u.u_texSize!, this.tex.width, this.tex.height);
    gl.uniform1f(u.u_canvasHeight!, ch);
    gl.uniform1f(u.u_slope!, this.tex.packed.slope);
    gl.uniform1f(u.u_intercept!, this.tex.packed.intercept);
    gl.uniform1f(u.u_wc!, display.window.center);
    gl.uniform1f(u.u_ww!, Math.max(display.window.width, 1e-6));
    gl.uniform1i(u.u_voi!, VOI_CODE[voi]);
    gl.uniform1i(u.u_invert!, display.invert ? 1 : 0);
    gl.enable(gl.SCISSOR_TEST);
    for (const pane of panes) {
      const { x, y, w, h } = pane.rect;
      // GL's window origin is bottom-left.
      const glY = ch - (y + h);
      gl.viewport(x, glY, w, h);
      gl.scissor(x, glY, w, h);
      gl.uniform2f(u.u_paneOrigin!, x, y);
      gl.uniform2f(u.u_paneSize!, w, h);
      gl.uniform2f(u.u_center!, pane.view.cx, pane.view.cy);
      gl.uniform1f(u.u_zoom!, pane.view.zoom);
      gl.uniform1i(u.u_smooth!, pane.view.zoom > 1 ? 1 : 0);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
    }
    gl.disable(gl.SCISSOR_TEST);
  }

  dispose(): void {
    const gl = this.gl;
    if (this.texture) gl.deleteTexture(this.texture);
    gl.deleteProgram(this.programs.uint.program);
    gl.deleteProgram(this.programs.float.program);
    if (this.vao) gl.deleteVertexArray(this.vao);
    this.texture = null;
    this.tex = null;
  }
}
