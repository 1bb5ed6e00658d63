// The HTML report's style and page script. The script reads the items from the JSON in
// #report-data and renders them a page at a time with textContent only (item text is data,
// never markup); it filters suites by status and name, items by kind, confusion cell and
// text; it moves between items with the keyboard and follows deep links (#s<i>/<item id>).

export const STYLE = `
:root{--ok:#17803d;--bad:#c0262d;--warn:#8a4f00;--muted:#595959;--line:#d6d6d6}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f7f7f8}
header{background:#fff;border-bottom:1px solid var(--line);padding:1rem 2rem}
main{padding:1rem 2rem 4rem;max-width:1400px}
h1{font-size:1.35rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:0 0 .25rem}h3{font-size:1rem;margin:1.25rem 0 .4rem}
a{color:#1d5bbf}
.passed{color:var(--ok)}.failed,.error{color:var(--bad)}.skipped,.insufficient{color:var(--warn)}
.muted{color:var(--muted)}
table{border-collapse:collapse;margin:.4rem 0;background:#fff}td,th{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.num{text-align:right;font-variant-numeric:tabular-nums}
caption{caption-side:top;text-align:left;color:var(--muted);padding:.2rem 0}
.confusion caption{white-space:nowrap}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.4rem 0}
.chip{border:1px solid var(--line);background:#fff;border-radius:999px;padding:.15rem .7rem;font:inherit;cursor:pointer;color:#1d1d1f}
.chip[aria-pressed=true]{background:#1d1d1f;color:#fff;border-color:#1d1d1f}
input[type=search]{width:20rem;max-width:100%;padding:.3rem .5rem;font:inherit;border:1px solid #8a8a8a;border-radius:4px}
.overview td{vertical-align:middle}.overview .thr{display:flex;align-items:center;gap:.4rem;white-space:nowrap}
section.suite{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin:1.25rem 0}
.row{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
td.heat{padding:0;min-width:3.2rem;text-align:center}
button.cell{all:unset;display:block;padding:.35rem .6rem;cursor:pointer;font-variant-numeric:tabular-nums;text-align:center}
button.cell:focus-visible{outline:2px solid #1d5bbf}
td.heat.active{outline:3px solid #1d1d1f;outline-offset:-3px}
.item-list{display:flex;flex-direction:column;gap:.5rem;margin-top:.5rem}
article.item{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:4px;padding:.5rem .75rem;background:#fff}
article.item:focus{outline:2px solid #1d5bbf}
article.k-fp,article.k-fn,article.k-over,article.k-under,article.k-disagree,article.k-unparseable,article.k-error{border-left-color:var(--bad);background:#fffafa}
article.k-tie,article.k-sample_tie{border-left-color:var(--warn)}
article.target{box-shadow:0 0 0 3px #f5c518}
.item-head{display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline}
.badge{font-size:.8rem;padding:.05rem .45rem;border-radius:3px;background:#eee;color:#1d1d1f}
.item-cols{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin-top:.35rem}
.item-cols h4{margin:0 0 .15rem;font-size:.8rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.item pre{white-space:pre-wrap;word-break:break-word;margin:.2rem 0;font:13px/1.4 ui-monospace,monospace;background:#f6f6f6;padding:.4rem;border-radius:3px;max-height:24rem;overflow:auto}
.item details summary{cursor:pointer;color:var(--muted)}
.filters-note{margin:.3rem 0}
pre.diff{background:#fff;border:1px solid var(--line);padding:.5rem;overflow:auto}
@media (max-width:800px){main,header{padding:1rem}.item-cols{grid-template-columns:1fr}}
`;

export const SCRIPT = `(function(){
var DATA=JSON.parse(document.getElementById('report-data').textContent);
var PAGE=100;
var state=DATA.suites.map(function(){return {kinds:null,cell:null,q:'',limit:PAGE};});
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined&&text!==null)e.textContent=String(text);return e;}
function hay(it){if(it._h===undefined){var p=[it.id,it.h,it.j,it.why||'',it.n||'',it.r||'',it.e||''];it.a.forEach(function(a){p.push(a[0],a[1],a[2]);});it.f.forEach(function(f){p.push(f[1]);});it._h=p.join(' ').toLowerCase();}return it._h;}
function visible(si){var st=state[si];return DATA.suites[si].items.filter(function(it){
if(st.kinds&&!st.kinds[it.k])return false;
if(st.cell&&!(it.x&&it.x[0]===st.cell[0]&&it.x[1]===st.cell[1]))return false;
if(st.q&&hay(it).indexOf(st.q)<0)return false;return true;});}
function field(parent,title,text){if(!text)return;var d=el('div');d.appendChild(el('h4',null,title));d.appendChild(el('div',null,text));parent.appendChild(d);}
function renderItem(si,it){
var art=el('article','item k-'+it.k);art.tabIndex=0;art.id='s'+si+'/'+it.id;
var head=el('div','item-head');
head.appendChild(el('span','badge',DATA.kinds[it.k]+(it.d?' by '+it.d:'')));
var a=el('a',null,it.id);a.href='#s'+si+'/'+encodeURIComponent(it.id);a.title='link to this item';head.appendChild(a);
head.appendChild(el('span',null,'humans: '+it.h+' · judge: '+it.j+(it.c!==undefined?' (confidence '+it.c.toFixed(2)+')':'')));
art.appendChild(head);
var cols=el('div','item-cols');var hum=el('div');var jud=el('div');
hum.appendChild(el('h4',null,'Humans'));
if(it.a.length>1||it.a.some(function(x){return x[2];})){var ul=el('ul');it.a.forEach(function(x){ul.appendChild(el('li',null,x[0]+': '+x[1]+(x[2]?' — '+x[2]:'')));});hum.appendChild(ul);}else{hum.appendChild(el('div',null,it.h));}
field(hum,'Notes',it.n);field(hum,'Rationale',it.r);field(hum,'Edge case',it.e);
jud.appendChild(el('h4',null,'Judge'));jud.appendChild(el('div',null,it.j+(it.c!==undefined?' · confidence '+it.c.toFixed(2):'')+(it.fr!==undefined?' · samples disagree '+Math.round(it.fr*100)+'%':'')));
field(jud,'Reason',it.why);
cols.appendChild(hum);cols.appendChild(jud);art.appendChild(cols);
it.f.forEach(function(f){var d=el('details');d.appendChild(el('summary',null,f[0]+' ('+f[1].length+' characters)'));d.appendChild(el('pre',null,f[1]));art.appendChild(d);});
return art;}
function render(si){
var list=document.getElementById('items-'+si);if(!list)return;
var items=visible(si);var st=state[si];list.textContent='';
var frag=document.createDocumentFragment();
items.slice(0,st.limit).forEach(function(it){frag.appendChild(renderItem(si,it));});list.appendChild(frag);
var note=document.getElementById('items-note-'+si);
var total=DATA.suites[si].items.length;
note.textContent='Showing '+Math.min(st.limit,items.length)+' of '+items.length+(items.length!==total?' matching ('+total+' in all)':'')+(st.cell?' · cell: humans '+DATA.suites[si].labels[st.cell[0]]+', judge '+DATA.suites[si].labels[st.cell[1]]:'');
var more=document.getElementById('items-more-'+si);more.hidden=items.length<=st.limit;
var clear=document.getElementById('items-clear-'+si);clear.hidden=!st.cell&&!st.kinds&&!st.q;
document.querySelectorAll('td.heat').forEach(function(td){var b=td.querySelector('button.cell');if(b&&b.dataset.suite===String(si))td.classList.toggle('active',!!st.cell&&b.dataset.h===String(st.cell[0])&&b.dataset.j===String(st.cell[1]));});
}
DATA.suites.forEach(function(_,si){render(si);});
document.addEventListener('click',function(ev){
var t=ev.target;if(!(t instanceof Element))return;
var cell=t.closest('button.cell');
if(cell){var si=+cell.dataset.suite,c=[+cell.dataset.h,+cell.dataset.j],st=state[si];
st.cell=st.cell&&st.cell[0]===c[0]&&st.cell[1]===c[1]?null:c;st.limit=PAGE;render(si);
document.getElementById('items-head-'+si).scrollIntoView({block:'start'});return;}
var kind=t.closest('button[data-kind]');
if(kind){var sk=+kind.dataset.suite,s2=state[sk];var on=kind.getAttribute('aria-pressed')!=='true';kind.setAttribute('aria-pressed',String(on));
var sel={};var any=false;document.querySelectorAll('button[data-kind][data-suite="'+sk+'"]').forEach(function(b){if(b.getAttribute('aria-pressed')==='true'){sel[b.dataset.kind]=true;any=true;}});
s2.kinds=any?sel:null;s2.limit=PAGE;render(sk);return;}
var more=t.closest('button[data-more]');if(more){var sm=+more.dataset.more;state[sm].limit+=200;render(sm);return;}
var clear=t.closest('button[data-clear]');if(clear){var sc=+clear.dataset.clear;state[sc]={kinds:null,cell:null,q:'',limit:PAGE};
document.querySelectorAll('button[data-kind][data-suite="'+sc+'"]').forEach(function(b){b.setAttribute('aria-pressed','false');});
var box=document.querySelector('input[data-items="'+sc+'"]');if(box)box.value='';render(sc);return;}
var status=t.closest('button[data-status]');if(status){var pressed=status.getAttribute('aria-pressed')!=='true';status.setAttribute('aria-pressed',String(pressed));applySuiteFilters();}
});
document.addEventListener('input',function(ev){var t=ev.target;if(!(t instanceof HTMLInputElement))return;
if(t.dataset.items!==undefined){var si=+t.dataset.items;state[si].q=t.value.toLowerCase();state[si].limit=PAGE;render(si);}
if(t.id==='suite-search')applySuiteFilters();});
function applySuiteFilters(){
var shown={};document.querySelectorAll('button[data-status]').forEach(function(b){shown[b.dataset.status]=b.getAttribute('aria-pressed')==='true';});
var q=document.getElementById('suite-search').value.toLowerCase();
document.querySelectorAll('[data-suite-row]').forEach(function(e){e.hidden=!shown[e.dataset.status]||(q!==''&&e.dataset.name.indexOf(q)<0);});}
document.addEventListener('keydown',function(ev){
var t=ev.target;if(!(t instanceof HTMLElement)||!t.matches('article.item'))return;
var next=null;
if(ev.key==='ArrowDown'||ev.key==='j')next=t.nextElementSibling;
else if(ev.key==='ArrowUp'||ev.key==='k')next=t.previousElementSibling;
else if(ev.key==='Enter'||ev.key===' '){var ds=t.querySelectorAll('details');var open=!(ds[0]&&ds[0].open);ds.forEach(function(d){d.open=open;});ev.preventDefault();return;}
if(next){next.focus();ev.preventDefault();}});
function follow(){
var m=/^#s(\\d+)(?:\\/(.*))?$/.exec(location.hash);if(!m)return;var si=+m[1];if(!DATA.suites[si])return;
var sec=document.getElementById('s'+si);if(sec)sec.hidden=false;
if(m[2]===undefined){if(sec)sec.scrollIntoView();return;}
var id;try{id=decodeURIComponent(m[2]);}catch(e){return;}
var i=DATA.suites[si].items.findIndex(function(it){return it.id===id;});if(i<0)return;
state[si]={kinds:null,cell:null,q:'',limit:Math.max(PAGE,i+1)};render(si);
var art=document.getElementById('s'+si+'/'+id);if(art){document.querySelectorAll('article.target').forEach(function(a){a.classList.remove('target');});art.classList.add('target');art.scrollIntoView({block:'center'});art.focus();}}
window.addEventListener('hashchange',follow);follow();
})();`;
