// @ts-check
// The panel's stylesheet, inside its shadow root so the host page's CSS neither reaches it nor is reached.
// The host's --talkies-* custom properties inherit into the shadow root: that is how a publisher themes it.

export const CSS = `
:host{display:block;min-height:24rem;font:16px/1.5 var(--talkies-font,system-ui,sans-serif)}
.panel{--fg:var(--talkies-fg,#1d1d1f);--bg:var(--talkies-bg,#fff);--muted:var(--talkies-muted,#5c5f66);--accent:var(--talkies-accent,#b3261e);
--on-accent:var(--talkies-on-accent,#fff);--line:var(--talkies-line,#d9dbe0);--card:var(--talkies-card,#f4f4f6);--off:#a3a7ae;
background:var(--bg);color:var(--fg);color-scheme:light;padding:1rem;border-radius:.5rem}
.dark{--fg:var(--talkies-fg,#ececf1);--bg:var(--talkies-bg,#16181d);--muted:var(--talkies-muted,#a9adb6);--accent:var(--talkies-accent,#ff8a80);
--on-accent:var(--talkies-on-accent,#16181d);--line:var(--talkies-line,#3a3d45);--card:var(--talkies-card,#22252c);--off:#6b7079;color-scheme:dark}
*{box-sizing:border-box}p{margin:.25rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .25rem}
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;margin:0 0 .5rem;color:var(--muted)}
.muted{color:var(--muted)}.small{font-size:.875rem}.big{font-size:2rem;font-weight:700;line-height:1.1}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.scores{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}.card{background:var(--card);border-radius:.5rem;padding:.75rem 1rem}
table{width:100%;font-size:.8rem}th{font-weight:400;text-align:right;width:2.5rem}
.track{display:inline-block;width:75%;height:.5rem;background:var(--line)}.bar{display:block;height:100%;background:var(--accent)}
fieldset{border:0;padding:0;margin:0}.stars{display:flex}.half{width:.9rem;height:1.8rem;cursor:pointer;background:var(--off)}.on{background:var(--accent)}
.left{clip-path:polygon(.9rem .13rem,.9rem 1.34rem,.42rem 1.61rem,.53rem 1.07rem,.13rem .7rem,.67rem .63rem)}
.right{clip-path:polygon(0 .13rem,.23rem .63rem,.77rem .7rem,.37rem 1.07rem,.48rem 1.61rem,0 1.34rem)}
input:focus-visible+label{outline:2px solid var(--fg);clip-path:none}
button,input,select,textarea{font:inherit;color:inherit}
button{background:none;border:0;color:var(--fg);text-decoration:underline;padding:.2rem .3rem;cursor:pointer}
.button{background:var(--accent);color:var(--on-accent);text-decoration:none;border-radius:.35rem;padding:.4rem .9rem}.danger{background:#a0161b;color:#fff}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.field label{display:block;font-weight:600}textarea,input:not([type]),select{width:100%;max-width:40rem;background:var(--bg);border:1px solid var(--muted);border-radius:.35rem;padding:.4rem}select{width:auto}
.hint{display:block}li>form{margin-left:1rem}.error{color:var(--accent);font-weight:600}.error:empty{display:none}
ol{list-style:none;margin:0;padding:0}.replies{margin-left:1rem;padding-left:.75rem;border-left:2px solid var(--line)}.replies .replies .replies{margin-left:0}
article{padding:.75rem 0;border-top:1px solid var(--line)}header{font-size:.9rem}.badge{font-size:.8rem;background:var(--card);border-radius:1rem;padding:0 .5rem}
.body a{color:inherit}footer{display:flex;flex-wrap:wrap;gap:.25rem;font-size:.9rem}
.vote{border:1px solid var(--line);border-radius:1rem;text-decoration:none;padding:.1rem .6rem}.vote[aria-pressed=true]{border-color:var(--accent);color:var(--accent)}
.spoiler-toggle{background:var(--fg);color:var(--bg);text-decoration:none;border-radius:.25rem;padding:0 .4rem;font-size:.85em}
.spoiler-text{background:var(--card)}summary{cursor:pointer;font-weight:600}.live{position:sticky;top:.5rem;z-index:1;margin:.5rem 0}.notice{padding:.5rem;background:var(--card)}
.held{margin:.5rem 0;padding:.5rem .75rem;background:var(--card);border-left:.25rem dashed var(--muted)}.held strong{display:block}
.held.rejected{border-left-style:solid;border-color:var(--accent)}.held.rejected strong{color:var(--accent)}
.report{margin:.25rem 0 0 1rem}legend{font-weight:600}.reported{padding:.2rem .3rem}
`;
