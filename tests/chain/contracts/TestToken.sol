// SPDX-License-Identifier: MIT
// A plain ERC-20 for tests (WBTC- and USDT-like tokens): any decimals, anyone may mint.
// Only the tokens are ours; the settlement contracts the tests run are the aggregators' own.
pragma solidity 0.8.18;

import '@openzeppelin/contracts/token/ERC20/ERC20.sol';

contract TestToken is ERC20 {
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
